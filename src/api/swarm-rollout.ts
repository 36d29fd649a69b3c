/**
 * How changes roll out, berth's additions in Docker's shapes: a canary update and a disruption
 * limit. Docker's ServiceSpec has neither, so they travel as the service labels
 * `berth.update.canary` (`2` tasks or `25%`), `berth.update.canary-auto-promote` and
 * `berth.min-available` (wire/swarm-labels.ts); the cluster keeps the canary in the spec's update
 * config and the limit as `minAvailable`.
 */
import { errors } from '../base/errors.js';
import type { Canary } from '../cluster/objects/index.js';
import { CANARY_AUTO_PROMOTE_LABEL, CANARY_LABEL, MIN_AVAILABLE_LABEL, parseCanarySize } from '../wire/swarm-labels.js';

const bad = (label: string, why: string): Error =>
  errors.invalidArgument('invalid-service-spec', `Labels.${label}: ${why}`, { details: { field: `Labels.${label}` } });

/** A body's labels split into the service's own and its canary. */
export function canaryFromLabels(labels: Readonly<Record<string, string>>): { labels: Record<string, string>; canary?: Canary } {
  const { [CANARY_LABEL]: size, [CANARY_AUTO_PROMOTE_LABEL]: auto, ...own } = labels;
  if (size === undefined) {
    if (auto !== undefined) throw bad(CANARY_AUTO_PROMOTE_LABEL, `only a canary update (label ${CANARY_LABEL}) takes it`);
    return { labels: own };
  }
  const amount = parseCanarySize(size);
  if (amount === undefined) throw bad(CANARY_LABEL, `"${size}": want a number of tasks (2) or a share of them (25%)`);
  if (auto !== undefined && auto !== 'true' && auto !== 'false') throw bad(CANARY_AUTO_PROMOTE_LABEL, `"${auto}": want true or false`);
  return { labels: own, canary: { ...amount, autoPromote: auto === 'true' } };
}

/** A body's labels split into the service's own and its disruption limit. */
export function minAvailableFromLabels(labels: Readonly<Record<string, string>>): { labels: Record<string, string>; minAvailable?: number } {
  const { [MIN_AVAILABLE_LABEL]: value, ...own } = labels;
  if (value === undefined) return { labels: own };
  if (!/^\d{1,5}$/.test(value)) throw bad(MIN_AVAILABLE_LABEL, `"${value}": want a whole number of running tasks`);
  return { labels: own, minAvailable: Number(value) };
}

export function minAvailableLabels(minAvailable: number): Record<string, string> {
  return minAvailable === 0 ? {} : { [MIN_AVAILABLE_LABEL]: String(minAvailable) };
}

export function canaryLabels(canary: Canary | undefined): Record<string, string> {
  if (canary === undefined) return {};
  return {
    [CANARY_LABEL]: canary.percent === undefined ? String(canary.count ?? 1) : `${String(canary.percent)}%`,
    ...(canary.autoPromote ? { [CANARY_AUTO_PROMOTE_LABEL]: 'true' } : {}),
  };
}
