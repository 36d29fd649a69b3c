/**
 * `berth node update|promote|demote` flags merged into a node's current spec, as the docker CLI
 * does before `POST /nodes/{id}/update?version=`. Pure; throws invalid-argument (`invalid-flag`)
 * naming the flag.
 */
import { errors } from '../../base/errors.js';
import type { SwarmNode, SwarmNodeSpec } from '../../wire/swarm.js';
import { keyValues } from './create-config.js';

/** The parsed flags of `node update` (camelCased long names). */
export interface NodeUpdateFlags {
  labelAdd: string[];
  labelRm: string[];
  availability?: string;
  role?: string;
}

const AVAILABILITIES = ['active', 'pause', 'drain'] as const;
const ROLES = ['worker', 'manager'] as const;

function oneOf<T extends string>(values: readonly T[], value: string, flag: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw errors.invalidArgument('invalid-flag', `${flag} ${value}: want ${values.join(', ')}`);
  return found;
}

/**
 * The node's current spec (as `GET /nodes/{id}` shows it) with the flags applied: labels added
 * (`--label-add K=V`, or `K` for an empty value) and removed (`--label-rm K`: an absent key is
 * refused, as Docker does), availability and role set. The result is the whole spec to send.
 */
export function mergeNodeSpec(current: SwarmNode['Spec'], flags: NodeUpdateFlags): SwarmNodeSpec {
  const added: Record<string, string> = { ...current.Labels, ...keyValues(flags.labelAdd, '--label-add') };
  for (const key of flags.labelRm) {
    if (!Object.hasOwn(added, key)) throw errors.invalidArgument('invalid-flag', `--label-rm ${key}: the node has no label ${key}`);
  }
  const labels = Object.fromEntries(Object.entries(added).filter(([key]) => !flags.labelRm.includes(key)));
  const merged: SwarmNodeSpec = {
    Labels: labels,
    Role: oneOf(ROLES, flags.role ?? current.Role ?? 'worker', flags.role === undefined ? 'the node\'s role' : '--role'),
    Availability: oneOf(AVAILABILITIES, flags.availability ?? current.Availability ?? 'active', flags.availability === undefined ? 'the node\'s availability' : '--availability'),
  };
  if (current.Name !== undefined && current.Name !== '') merged.Name = current.Name;
  return merged;
}

