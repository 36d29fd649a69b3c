/**
 * The registry's HTTP API with everything behind it: routing of `/v2/…` paths, repository names,
 * tags and digests, Range and Content-Range headers, manifest bodies (with their Content-Type),
 * blob uploads (monolithic, chunked, mounts) and scope strings of `/token`, served by the real app
 * on a scratch storage through fastify's inject (no socket). The input is an HTTP request:
 * `METHOD /path?query`, header lines, an empty line, the body. Refusals are the spec's error
 * answers (4xx); a 5xx answer is a finding.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../src/base/clock.js';
import { RegistryAuth } from '../../src/registry/auth/registry-auth.js';
import { buildRegistryApp } from '../../src/registry/registry-app.js';
import { RegistryStorage } from '../../src/registry/registry.js';
import { check } from '../support/refusal.js';
import { scratchDir } from '../support/tar-input.js';

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'] as const;
const RENEW_EVERY = 2000;
/** What Node's HTTP parser lets through as a header name and value. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

interface Served {
  app: FastifyInstance;
  storage: RegistryStorage;
  dir: string;
  uses: number;
}

let served: Served | undefined;

async function registry(): Promise<FastifyInstance> {
  if (served !== undefined && served.uses++ < RENEW_EVERY) return served.app;
  if (served !== undefined) {
    await served.app.close();
    served.storage.close();
    await rm(served.dir, { recursive: true, force: true });
  }
  const dir = await scratchDir('registry');
  const storage = await RegistryStorage.open({ root: join(dir, 'state') });
  const app = buildRegistryApp({ storage, auth: RegistryAuth.none(systemClock) });
  await app.ready();
  served = { app, storage, dir, uses: 1 };
  return app;
}

interface FuzzRequest {
  method: (typeof METHODS)[number];
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

function requestOf(data: Buffer): FuzzRequest {
  const end = data.indexOf('\n\n');
  const head = data.subarray(0, end < 0 ? data.length : end).toString('latin1').split('\n');
  const [verb = '', target = '/v2/'] = (head[0] ?? '').split(' ');
  const method = METHODS.find((m) => m === verb) ?? METHODS[(data[0] ?? 0) % METHODS.length] ?? 'GET';
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (colon > 0 && TOKEN.test(name) && FIELD_VALUE.test(value) && name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
  }
  // One leading slash: the request line's path (fastify's inject would read `//host` as a URL).
  const path = `/${target.replace(/^[/\\]+/, '')}`;
  return { method, url: path.replace(/[^\x21-\x5b\x5d-\x7e]/g, (c) => encodeURIComponent(c)), headers, body: end < 0 ? Buffer.alloc(0) : data.subarray(end + 2) };
}

export async function fuzz(data: Buffer): Promise<void> {
  const app = await registry();
  const request = requestOf(data);
  const response = await app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.body.length > 0 && { payload: request.body }) });
  check(response.statusCode < 500, `${request.method} ${request.url} answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
}
