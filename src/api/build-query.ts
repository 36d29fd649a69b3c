/**
 * The query parameters of `POST /build` that need more than a string: JSON maps (`buildargs`,
 * `labels`), the JSON list `cachefrom`, the repeated `extrahosts` (`name:ip`, ip may be
 * `host-gateway`) and `networkmode`. Each is checked here, at the edge, and refused with
 * invalid-argument naming the parameter. A repeated parameter counts by its first value, as
 * dockerd reads it (Go's FormValue); `t` and `extrahosts` are lists. The names are
 * `BuildQueryParam`s (`../wire/build.ts`), the ones the client sends.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { errors } from '../base/errors.js';
import type { BuildNetwork } from '../build/steps/step-types.js';
import { parseSchema } from '../oci/parse-json.js';
import type { BuildQueryParam } from '../wire/build.js';
import { queryList, type Query } from './query.js';

/** A build parameter's value: of a repeated one the first. */
export function buildParam(query: Query, name: BuildQueryParam): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A build flag: `1`/`true`/`True` of its first value. */
export function buildFlag(query: Query, name: BuildQueryParam): boolean {
  const value = buildParam(query, name);
  return value === '1' || value === 'true' || value === 'True';
}

function jsonParam(query: Query, name: BuildQueryParam): unknown {
  const text = buildParam(query, name);
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-query', `${name}: not valid JSON`, { cause });
  }
}

const stringMapSchema = z.record(z.string(), z.string().nullable());

/** `buildargs`, `labels`: a JSON object of strings (Docker sends `null` for a --build-arg the environment does not set: left out). */
export function jsonMapParam(query: Query, name: 'buildargs' | 'labels'): Record<string, string> {
  const value = jsonParam(query, name);
  if (value === undefined) return {};
  const map = parseSchema(stringMapSchema, value, name);
  return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** `cachefrom`: a JSON list of image names (`--cache-from`). */
export function cacheFromParam(query: Query): string[] {
  const value = jsonParam(query, 'cachefrom');
  return value === undefined || value === null ? [] : parseSchema(z.array(z.string()), value, 'cachefrom').filter((ref) => ref !== '');
}

/** `extrahosts` (repeated): `name:ip` entries, checked as dockerd checks `--add-host`. */
export function extraHostsParam(query: Query): string[] {
  const hosts = queryList(query, 'extrahosts' satisfies BuildQueryParam).filter((entry) => entry !== '');
  for (const entry of hosts) {
    const at = entry.indexOf(':');
    if (at <= 0) throw errors.invalidArgument('invalid-extra-host', `bad format for add-host: "${entry}"`);
    const ip = entry.slice(at + 1);
    if (ip !== 'host-gateway' && isIP(ip.replace(/^\[(.*)\]$/, '$1')) === 0) throw errors.invalidArgument('invalid-extra-host', `invalid IP address in add-host: "${ip}"`);
  }
  return hosts;
}

/** `networkmode`: default/bridge (the default network), none, host, or a user network's name or id. */
export function networkModeParam(query: Query): BuildNetwork {
  const mode = buildParam(query, 'networkmode');
  if (mode === undefined || mode === '' || mode === 'default' || mode === 'bridge') return 'bridge';
  if (mode === 'none' || mode === 'host') return mode;
  if (mode.startsWith('container:')) throw errors.invalidArgument('invalid-build-network', `networkmode: "${mode}": a build cannot join a container's network`);
  return { network: mode };
}
