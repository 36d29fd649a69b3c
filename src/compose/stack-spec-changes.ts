/**
 * What differs between a stack service's spec as the file makes it (stack-spec.ts) and as berthd
 * shows it: both flattened to Docker's field paths, the cluster's defaults filled in, fields
 * berthd accepts but never shows compared only when it shows them. A redeploy updates a service
 * only when something differs, and replaces its tasks only when the template (or the published
 * ports) does.
 */
import type { SwarmServiceSpec, SwarmServiceSpecInput } from '../wire/swarm.js';

/** The cluster's defaults, which berthd shows and a spec may leave out (Swarm's). */
const SPEC_DEFAULTS: Readonly<Record<string, string | number>> = {
  'TaskTemplate.RestartPolicy.Condition': 'any',
  'TaskTemplate.RestartPolicy.Delay': 5_000_000_000,
  'TaskTemplate.ContainerSpec.Isolation': 'default',
  'TaskTemplate.Runtime': 'container',
  'EndpointSpec.Mode': 'vip',
  ...Object.fromEntries(['UpdateConfig', 'RollbackConfig'].flatMap((config): [string, string | number][] => [
    [`${config}.Parallelism`, 1], [`${config}.FailureAction`, 'pause'], [`${config}.Monitor`, 5_000_000_000], [`${config}.Order`, 'stop-first'],
  ])),
};

/** Fields berthd accepts and does not keep (it never shows them): compared only when it does show them. */
const ACCEPTED_NOT_SHOWN = ['TaskTemplate.ContainerSpec.StopGracePeriod', 'TaskTemplate.ContainerSpec.Init', 'TaskTemplate.ContainerSpec.DNSConfig'];

type Leaf = string | number | boolean;

function flatten(value: unknown, path: string, out: Map<string, Leaf>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => { flatten(item, `${path}[${index}]`, out); });
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, path === '' ? key : `${path}.${key}`, out);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.set(path, value);
  }
}

/**
 * A spec's fields as `path → value`: defaults filled in, then empty values (0, '', false) left
 * out; the mode's kind is a field of its own (`Global: {}` has no values).
 */
function fieldsOf(spec: SwarmServiceSpecInput | SwarmServiceSpec): Map<string, Leaf> {
  const fields = new Map<string, Leaf>();
  flatten(spec, '', fields);
  const mode = Object.entries(spec.Mode ?? {}).filter(([, value]) => value !== null && value !== undefined).map(([kind]) => kind);
  if (mode.length > 0) fields.set('Mode', mode.sort().join(','));
  for (const [path, value] of Object.entries(SPEC_DEFAULTS)) if (!fields.has(path)) fields.set(path, value);
  for (const [path, value] of fields) if (value === 0 || value === '' || value === false) fields.delete(path);
  return fields;
}

export interface SpecChanges {
  /** The fields (Docker's paths) whose values differ. */
  fields: string[];
  /** Whether a change is in the task template (or the published ports): the tasks are replaced. */
  rollsTasks: boolean;
}

/**
 * What differs between the spec to send (networks, secrets and configs by id) and the spec berthd
 * shows. Defaults are compared as values, so an unchanged file finds nothing to change. Pure.
 */
export function specChanges(desired: SwarmServiceSpecInput, current: SwarmServiceSpec): SpecChanges {
  const want = fieldsOf(desired);
  const have = fieldsOf(current);
  const shown = (path: string): boolean => [...have.keys()].some((p) => p.startsWith(path));
  const fields = [...new Set([...want.keys(), ...have.keys()])].filter((path) => {
    if (want.get(path) === have.get(path)) return false;
    const unkept = ACCEPTED_NOT_SHOWN.find((prefix) => path.startsWith(prefix));
    return unkept === undefined || shown(unkept);
  }).sort();
  return { fields, rollsTasks: fields.some((path) => path.startsWith('TaskTemplate.') || path.startsWith('EndpointSpec.Ports')) };
}
