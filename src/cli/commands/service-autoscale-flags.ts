/**
 * berth's autoscaling flags of `service create|update`, which become the service's
 * `berth.autoscale.*` labels (wire/swarm-labels.ts; berthd reads them): `--autoscale-max` (required
 * to autoscale), `--autoscale-min`, `--autoscale-cpu` and `--autoscale-memory` (percent targets),
 * `--autoscale-scale-down-delay`; `service update --autoscale-rm` stops autoscaling. And the
 * autoscaling lines of `service inspect --pretty`. Pure; a wrong value or combination throws
 * invalid-argument (`invalid-flag`) naming the flag.
 */
import { goDurationMs } from '../../base/go-duration.js';
import type { SwarmService } from '../../wire/swarm.js';
import {
  AUTOSCALE_CPU_LABEL, AUTOSCALE_DELAY_LABEL, AUTOSCALE_LABELS, AUTOSCALE_MAX_LABEL, AUTOSCALE_MEMORY_LABEL, AUTOSCALE_MIN_LABEL,
} from '../../wire/swarm-labels.js';
import type { OptionSpec } from '../args/command-spec.js';
import { relativeTime } from '../format.js';
import { SECTION, type PrettyEntry } from './cluster-pretty.js';
import { badFlag as bad, count } from './service-flag-values.js';

export interface AutoscaleFlags {
  autoscaleMin?: string;
  autoscaleMax?: string;
  autoscaleCpu?: string;
  autoscaleMemory?: string;
  autoscaleScaleDownDelay?: string;
  autoscaleRm?: boolean;
}

export const AUTOSCALE_OPTIONS: OptionSpec[] = [
  { flags: '--autoscale-max <n>', description: 'autoscale the replicas up to n (with --autoscale-cpu and/or --autoscale-memory)' },
  { flags: '--autoscale-min <n>', description: 'autoscaling: the fewest replicas (default 1)' },
  { flags: '--autoscale-cpu <percent>', description: 'autoscaling: the average CPU use per task to keep, in percent of its CPU reservation (else limit, else one CPU)' },
  { flags: '--autoscale-memory <percent>', description: 'autoscaling: the average memory use per task to keep, in percent of its memory limit (else reservation)' },
  { flags: '--autoscale-scale-down-delay <duration>', description: 'autoscaling: how long a lower count must be asked for before scaling down (default 5m)' },
];

export const AUTOSCALE_UPDATE_OPTIONS: OptionSpec[] = [
  ...AUTOSCALE_OPTIONS,
  { flags: '--autoscale-rm', description: 'stop autoscaling (the replicas stay as they are)' },
];


/** Whether the labels autoscale the service. */
export function isAutoscaled(labels: Readonly<Record<string, string>>): boolean {
  return labels[AUTOSCALE_MAX_LABEL] !== undefined;
}

/** The service's labels with the flags' autoscaling applied (`replicated`: the service's mode allows it). */
export function autoscaleLabels(current: Readonly<Record<string, string>>, replicated: boolean, flags: AutoscaleFlags): Record<string, string> {
  const given: [string, string | undefined, string][] = [
    ['--autoscale-min', flags.autoscaleMin, AUTOSCALE_MIN_LABEL], ['--autoscale-max', flags.autoscaleMax, AUTOSCALE_MAX_LABEL],
    ['--autoscale-cpu', flags.autoscaleCpu, AUTOSCALE_CPU_LABEL], ['--autoscale-memory', flags.autoscaleMemory, AUTOSCALE_MEMORY_LABEL],
  ];
  const set = given.filter((entry): entry is [string, string, string] => entry[1] !== undefined);
  const delay = flags.autoscaleScaleDownDelay;
  if (flags.autoscaleRm === true) {
    const other = set[0]?.[0] ?? (delay === undefined ? undefined : '--autoscale-scale-down-delay');
    if (other !== undefined) throw bad(other, '', 'cannot be given with --autoscale-rm');
    return Object.fromEntries(Object.entries(current).filter(([key]) => !AUTOSCALE_LABELS.includes(key)));
  }
  if (set.length === 0 && delay === undefined) return { ...current };
  const first = set[0]?.[0] ?? '--autoscale-scale-down-delay';
  if (!replicated) throw bad(first, set[0]?.[1] ?? delay ?? '', 'only a replicated service is autoscaled');
  const labels = { ...current };
  for (const [flag, value, label] of set) {
    const n = count(value, flag);
    if (n === 0) throw bad(flag, value, 'want at least 1');
    labels[label] = String(n);
  }
  if (delay !== undefined) {
    if ((goDurationMs(delay) ?? -1) < 0) throw bad('--autoscale-scale-down-delay', delay, 'want a duration such as 30s or 5m');
    labels[AUTOSCALE_DELAY_LABEL] = delay;
  }
  if (!isAutoscaled(labels)) throw bad(first, set[0]?.[1] ?? delay ?? '', 'autoscaling needs --autoscale-max');
  if (labels[AUTOSCALE_CPU_LABEL] === undefined && labels[AUTOSCALE_MEMORY_LABEL] === undefined) {
    throw bad(first, set[0]?.[1] ?? delay ?? '', 'autoscaling needs a target: --autoscale-cpu or --autoscale-memory');
  }
  return labels;
}

/** `service inspect --pretty`'s autoscaling lines (berth's headings, in the docker CLI's style). */
export function autoscaleLines(service: SwarmService, now: Date): PrettyEntry[] {
  const labels = service.Spec.Labels;
  if (!isAutoscaled(labels)) return [];
  const percent = (label: string): string | undefined => (labels[label] === undefined ? undefined : `${labels[label]}%`);
  const status = service.AutoscaleStatus;
  return [
    ['Autoscale', SECTION],
    [' Replicas', `${labels[AUTOSCALE_MIN_LABEL] ?? '1'} to ${labels[AUTOSCALE_MAX_LABEL] ?? ''}`],
    [' CPU Target', percent(AUTOSCALE_CPU_LABEL)],
    [' Memory Target', percent(AUTOSCALE_MEMORY_LABEL)],
    [' Scale-down Delay', labels[AUTOSCALE_DELAY_LABEL]],
    [' Last Change', status === undefined ? undefined : `${status.Message} (${relativeTime(new Date(status.Timestamp), now)})`],
  ];
}
