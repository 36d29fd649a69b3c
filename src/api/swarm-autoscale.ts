/**
 * Autoscaling in Docker's shapes. Docker's ServiceSpec has no field for it, so it travels as
 * service labels (wire/swarm-labels.ts: `berth.autoscale.min|max|cpu|memory|scale-down-delay`),
 * which the docker CLI keeps through `service update`; the cluster keeps it as the spec's
 * `autoscale`, and the autoscaler's last decision shows as the service's `AutoscaleStatus`.
 */
import { errors } from '../base/errors.js';
import { goDurationMs } from '../base/go-duration.js';
import type { Autoscale, AutoscaleStatus } from '../cluster/objects/index.js';
import {
  AUTOSCALE_CPU_LABEL, AUTOSCALE_DELAY_LABEL, AUTOSCALE_LABELS, AUTOSCALE_MAX_LABEL, AUTOSCALE_MEMORY_LABEL, AUTOSCALE_MIN_LABEL,
} from '../wire/swarm-labels.js';
import type { SwarmAutoscaleStatus } from '../wire/swarm.js';


const bad = (label: string, why: string): Error =>
  errors.invalidArgument('invalid-autoscale', `Labels.${label}: ${why}`, { details: { field: `Labels.${label}` } });

function count(labels: Readonly<Record<string, string>>, label: string): number | undefined {
  const value = labels[label];
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value)) throw bad(label, `"${value}": want a whole number`);
  return Number(value);
}

/**
 * A body's labels split into the service's own and its autoscaling (unvalidated beyond the
 * numbers: `parseServiceSpec` checks the rest); a maximum is required once any is set.
 */
export function autoscaleFromLabels(labels: Readonly<Record<string, string>>): { labels: Record<string, string>; autoscale?: Record<string, unknown> } {
  const own = Object.fromEntries(Object.entries(labels).filter(([key]) => !AUTOSCALE_LABELS.includes(key)));
  if (!AUTOSCALE_LABELS.some((label) => labels[label] !== undefined)) return { labels: own };
  const max = count(labels, AUTOSCALE_MAX_LABEL);
  if (max === undefined) throw bad(AUTOSCALE_MAX_LABEL, 'an autoscaled service needs its most replicas');
  const min = count(labels, AUTOSCALE_MIN_LABEL);
  const cpu = count(labels, AUTOSCALE_CPU_LABEL);
  const memory = count(labels, AUTOSCALE_MEMORY_LABEL);
  const delay = labels[AUTOSCALE_DELAY_LABEL];
  const delayMs = delay === undefined ? undefined : goDurationMs(delay);
  if (delay !== undefined && (delayMs === undefined || delayMs < 0)) throw bad(AUTOSCALE_DELAY_LABEL, `"${delay}": want a duration such as 30s or 5m`);
  return {
    labels: own,
    autoscale: {
      maxReplicas: max,
      ...(min === undefined ? {} : { minReplicas: min }),
      ...(cpu === undefined ? {} : { cpuPercent: cpu }),
      ...(memory === undefined ? {} : { memoryPercent: memory }),
      ...(delayMs === undefined ? {} : { scaleDownDelayNs: delayMs * 1e6 }),
    },
  };
}

/** The labels autoscaling travels as (the delay in seconds, as `Ns`). */
export function autoscaleLabels(autoscale: Autoscale | undefined): Record<string, string> {
  if (autoscale === undefined) return {};
  return {
    [AUTOSCALE_MIN_LABEL]: String(autoscale.minReplicas),
    [AUTOSCALE_MAX_LABEL]: String(autoscale.maxReplicas),
    ...(autoscale.cpuPercent === undefined ? {} : { [AUTOSCALE_CPU_LABEL]: String(autoscale.cpuPercent) }),
    ...(autoscale.memoryPercent === undefined ? {} : { [AUTOSCALE_MEMORY_LABEL]: String(autoscale.memoryPercent) }),
    [AUTOSCALE_DELAY_LABEL]: `${String(autoscale.scaleDownDelayNs / 1e9)}s`,
  };
}

export function autoscaleStatusView(status: AutoscaleStatus): SwarmAutoscaleStatus {
  return { Message: status.message, Timestamp: status.at };
}
