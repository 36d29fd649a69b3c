import { errors } from '../../base/errors.js';
import { parseConstraints } from './constraints.js';
import { NODE_ATTRIBUTE_KEYS, parseNodeAttribute } from './node-attribute.js';
import { parseCron } from './cron.js';
import { isJobMode, serviceSpecSchema, type ServiceSpec } from './service.js';

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
 * - `invalid-schedule`: a schedule on a service that is not a job, or a cron expression that
 *   does not parse or never fires;
 * - `invalid-autoscale`: autoscaling of a service that is not replicated, without a target, with
 *   min above max, or a memory target without a memory limit or reservation;
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
  if (spec.schedule !== undefined) {
    if (!isJobMode(spec.mode)) {
      throw errors.invalidArgument('invalid-schedule', `service spec: field schedule: only a job (mode replicated-job or global-job) runs on a schedule, not a ${spec.mode.kind} service`, { details: { field: 'schedule' } });
    }
    parseCron(spec.schedule.cron, 'schedule.cron');
  }
  checkAutoscale(spec);
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

function checkAutoscale(spec: ServiceSpec): void {
  const auto = spec.autoscale;
  if (auto === undefined) return;
  const bad = (field: string, why: string): Error =>
    errors.invalidArgument('invalid-autoscale', `service spec: field ${field}: ${why}`, { details: { field } });
  if (spec.mode.kind !== 'replicated') throw bad('autoscale', `only a replicated service is autoscaled, not a ${spec.mode.kind} one`);
  if (auto.cpuPercent === undefined && auto.memoryPercent === undefined) throw bad('autoscale', 'a CPU or memory target is required');
  if (auto.minReplicas > auto.maxReplicas) throw bad('autoscale.minReplicas', `the minimum (${auto.minReplicas}) is above the maximum (${auto.maxReplicas})`);
  const { limits, reservations } = spec.taskTemplate.resources;
  if (auto.memoryPercent !== undefined && limits.memoryBytes === 0 && reservations.memoryBytes === 0) {
    throw bad('autoscale.memoryPercent', 'a memory target is a share of the tasks\' memory limit or reservation: set one');
  }
}
