import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/base/clock.js';
import { startRegistryServer, type RegistryServerOptions, type RunningRegistry } from '../../../src/registry/registry-server.js';

/** A clock the test moves by hand (upload expiry, GC grace, cache TTL) — no sleeping. */
export class ManualClock implements Clock {
  constructor(private ms = Date.now()) {}

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A registry in this process on a fresh temp root, listening on 127.0.0.1 with an ephemeral port. */
export interface TestRegistry extends RunningRegistry {
  root: string;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startTestRegistry(options: Partial<RegistryServerOptions> = {}): Promise<TestRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'berth-registry-'));
  const clock = new ManualClock();
  const running = await startRegistryServer({ root: join(root, 'state'), addr: '127.0.0.1:0', clock, ...options });
  return {
    ...running, root, clock,
    stop: async () => {
      await running.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** fetch against the registry with a path; never follows redirects. */
export function call(registry: { url: string }, method: string, path: string, init: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Response> {
  return fetch(`${registry.url}${path}`, { method, redirect: 'manual', ...(init.headers !== undefined && { headers: init.headers }), ...(init.body !== undefined && { body: init.body }) });
}

/** The spec's error code of an error answer. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: { code?: string }[] };
  return body.errors?.[0]?.code;
}

/** Pushes one blob monolithically (POST ?digest=). */
export async function pushBlob(registry: { url: string }, repo: string, data: Buffer | string, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256(data);
  const response = await call(registry, 'POST', `/v2/${repo}/blobs/uploads/?digest=${digest}`, { body: Buffer.from(data), headers: { 'content-type': 'application/octet-stream', ...headers } });
  if (response.status !== 201) throw new Error(`blob push answered ${response.status}: ${await response.text()}`);
  return digest;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A small image: one config and one layer pushed, and the manifest bytes (not yet pushed). */
export async function pushImageBlobs(registry: { url: string }, repo: string, seed: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ manifest: Buffer; digest: string; blobs: string[] }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, seed }));
  const layer = Buffer.from(`layer of ${seed} `.repeat(100));
  const configDigest = await pushBlob(registry, repo, config, headers);
  const layerDigest = await pushBlob(registry, repo, layer, headers);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    ...extra,
  }));
  return { manifest, digest: sha256(manifest), blobs: [configDigest, layerDigest] };
}

export async function putManifest(registry: { url: string }, repo: string, reference: string, manifest: Buffer, mediaType = OCI_MANIFEST, headers: Record<string, string> = {}): Promise<Response> {
  return call(registry, 'PUT', `/v2/${repo}/manifests/${reference}`, { body: manifest, headers: { 'content-type': mediaType, ...headers } });
}
