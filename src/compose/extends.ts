/**
 * `extends`: a service takes another service's definition (from the same file or from `file:`)
 * as its base and merges its own on top. Relative paths in the base stay relative to the base's
 * own file. A cycle is an invalid-argument error naming the services on it.
 */
import { dirname } from 'node:path';
import { errors } from '../base/errors.js';
import type { ComposeFile } from './compose-file.js';
import { canonicalService, mergeServices, type RawMap } from './merge.js';
import { hostPath } from './short-syntax.js';

/** Loads (and schema-checks) another compose file by absolute path. */
export type FileLoader = (path: string) => Promise<ComposeFile>;

const isMap = (value: unknown): value is RawMap => value !== null && typeof value === 'object' && !Array.isArray(value);

function servicesOf(file: ComposeFile): RawMap {
  const data = file.data;
  return isMap(data) && isMap(data.services) ? data.services : {};
}

/** The canonical definition of service `name` in `file`, its `extends` chain resolved. */
async function resolveService(file: ComposeFile, name: string, load: FileLoader, chain: string[]): Promise<RawMap> {
  const key = `${file.path}#${name}`;
  if (chain.includes(key)) {
    throw errors.invalidArgument('compose-extends-cycle', `${file.where(['services', name, 'extends'])}: extends makes a cycle: ${[...chain, key].join(' -> ')}`);
  }
  const def = servicesOf(file)[name];
  if (def === undefined) throw errors.invalidArgument('compose-extends-missing', `${file.path}: no service "${name}" to extend`);
  const own = canonicalService(def, dirname(file.path), ['services', name]);
  const ext = own.extends;
  if (ext === undefined) return own;
  delete own.extends;
  const spec = typeof ext === 'string' ? { service: ext } : (ext as { service: string; file?: string });
  let source = file;
  if (spec.file !== undefined) source = await load(hostPath(spec.file, dirname(file.path)));
  if (source === file && servicesOf(file)[spec.service] === undefined) {
    throw errors.invalidArgument('compose-extends-missing', `${file.where(['services', name, 'extends'])}: no service "${spec.service}" to extend`);
  }
  const base = await resolveService(source, spec.service, load, [...chain, key]);
  return mergeServices(base, own);
}

/** Every service of `file` in canonical shape with `extends` resolved. */
export async function resolveServices(file: ComposeFile, load: FileLoader): Promise<RawMap> {
  const out: RawMap = {};
  for (const name of Object.keys(servicesOf(file))) out[name] = await resolveService(file, name, load, []);
  return out;
}
