import { errors } from '../../base/errors.js';
import { parseConstraints } from './constraints.js';
import { NODE_ATTRIBUTE_KEYS, parseNodeAttribute } from './node-attribute.js';
import { serviceSpecSchema, type ServiceSpec } from './service.js';

/** Docker's smallest memory limit for a container. */
export const MIN_MEMORY_LIMIT_BYTES = 6 * 1024 * 1024;

/** The reason code for an issue at a field path: resources and constraints have their own. */
function reasonFor(path: readonly PropertyKey[]): string {
  const text = path.map(String).join('.');
  if (text.startsWith('taskTemplate.resources')) return 'invalid-resources';
  if (text.startsWith('taskTemplate.placement.constraints')) return 'invalid-constraint';
  if (text.startsWith('taskTemplate.placement.preferences')) return 'invalid-placement-preference';
  return 'invalid-service-spec';
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? String(key) : `${name}.${String(key)}`), '');
}

/**
 * Checks an untrusted service spec (an API body, a file) and returns it with defaults filled in.
 * Throws invalid-argument naming the field, with reason:
 * - `invalid-constraint`: a constraint that does not parse or names an unknown key;
 * - `invalid-placement-preference`: a spread descriptor that names no node attribute;
 * - `invalid-resources`: negative or fractional amounts, a reservation above its limit, a memory
 *   limit below 6 MiB;
 * - `invalid-service-spec`: anything else (name, image, mode, env, mounts…).
 */
export function parseServiceSpec(value: unknown): ServiceSpec {
  const parsed = serviceSpecSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const field = path.length > 0 ? fieldName(path) : '(spec)';
    throw errors.invalidArgument(reasonFor(path), `service spec: field ${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
  }
  const spec = parsed.data;
  const { placement, resources } = spec.taskTemplate;
  parseConstraints(placement.constraints, 'taskTemplate.placement.constraints');
  placement.preferences.forEach((preference, i) => {
    if (parseNodeAttribute(preference.spread) === undefined) {
      const field = `taskTemplate.placement.preferences[${i}].spread`;
      throw errors.invalidArgument('invalid-placement-preference', `service spec: field ${field}: cannot spread over "${preference.spread}" (known: ${NODE_ATTRIBUTE_KEYS.join(', ')})`, { details: { field } });
    }
  });
  const { limits, reservations } = resources;
  const invalidResources = (field: string, why: string): Error =>
    errors.invalidArgument('invalid-resources', `service spec: field taskTemplate.resources.${field}: ${why}`, { details: { field: `taskTemplate.resources.${field}` } });
  if (limits.memoryBytes > 0 && limits.memoryBytes < MIN_MEMORY_LIMIT_BYTES) {
    throw invalidResources('limits.memoryBytes', `a memory limit is at least ${MIN_MEMORY_LIMIT_BYTES} bytes (6 MiB)`);
  }
  if (limits.memoryBytes > 0 && reservations.memoryBytes > limits.memoryBytes) {
    throw invalidResources('reservations.memoryBytes', `the reservation (${reservations.memoryBytes}) is above the limit (${limits.memoryBytes})`);
  }
  if (limits.nanoCpus > 0 && reservations.nanoCpus > limits.nanoCpus) {
    throw invalidResources('reservations.nanoCpus', `the reservation (${reservations.nanoCpus}) is above the limit (${limits.nanoCpus})`);
  }
  return spec;
}
