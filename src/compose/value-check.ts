/**
 * One file's service values checked, right after the file is interpolated and schema-checked, with
 * the parsers normalization uses (short syntax through `canonicalService`, then durations and
 * sizes), so that a value the schema lets through but berth cannot use is reported with the file
 * and line it is written on: `compose.yaml:7: services.web.ports[0]: invalid port "abc"`. Durations
 * and sizes of a service merged from several files are parsed again when its containers are
 * planned; those errors name the field only.
 */
import { dirname } from 'node:path';
import type { ComposeFile, FieldPath } from './compose-file.js';
import { canonicalService, type RawMap } from './merge.js';
import { durationNs, sizeBytes } from './units.js';

/** Service fields holding a duration, and a size, that berth reads (container-config.ts). */
const DURATIONS: readonly FieldPath[] = [
  ['healthcheck', 'interval'], ['healthcheck', 'timeout'], ['healthcheck', 'start_period'], ['healthcheck', 'start_interval'], ['stop_grace_period'],
];
const SIZES: readonly FieldPath[] = [['deploy', 'resources', 'limits', 'memory'], ['deploy', 'resources', 'reservations', 'memory'], ['mem_limit'], ['shm_size']];

const isMap = (value: unknown): value is RawMap => value !== null && typeof value === 'object' && !Array.isArray(value);

function valueAt(data: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((node, key) => (isMap(node) ? node[key] : Array.isArray(node) && typeof key === 'number' ? node[key] : undefined), data);
}

const unit = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number';

function checkService(def: unknown, baseDir: string, where: FieldPath): void {
  const service = canonicalService(def, baseDir, where);
  for (const field of DURATIONS) {
    const value = valueAt(service, field);
    if (unit(value)) durationNs(value, [...where, ...field]);
  }
  for (const field of SIZES) {
    const value = valueAt(service, field);
    if (unit(value)) sizeBytes(value, [...where, ...field]);
  }
  const volumes = Array.isArray(service.volumes) ? service.volumes : [];
  volumes.forEach((_mount, index) => {
    const field = ['volumes', index, 'tmpfs', 'size'];
    const value = valueAt(service, field);
    if (unit(value)) sizeBytes(value, [...where, ...field]);
  });
}

/** Throws invalid-argument naming `file:line: field` for the first service value of `file` that does not parse. */
export function checkValues(file: ComposeFile): void {
  const services = isMap(file.data) && isMap(file.data.services) ? file.data.services : {};
  try {
    for (const [name, def] of Object.entries(services)) checkService(def, dirname(file.path), ['services', name]);
  } catch (err) {
    throw file.locate(err);
  }
}
