import type { Service } from '../objects/service.js';
import type { Task } from '../objects/task.js';

/** What one running task uses now: CPU in billionths of a CPU, memory in bytes (the working set). */
export interface TaskUsage {
  readonly taskId: string;
  readonly cpuNanos: number;
  readonly memoryBytes: number;
}

export interface Recommendation {
  /** The replica count the usage asks for, within min and max. */
  readonly replicas: number;
  /** The numbers behind it, for people ("cpu 182% of a 50% target over 2 tasks"). */
  readonly reason: string;
}

/** A use within 10% of the target changes nothing (Kubernetes' tolerance). */
export const TOLERANCE = 0.1;

const percent = (value: number): string => `${Math.round(value)}%`;

/**
 * The replicas an autoscaled service's usage asks for (Kubernetes' HPA rule): per target, the
 * tasks' summed use divided by the target use of one task, rounded up — unchanged while the
 * average is within `TOLERANCE` of the target; the highest over the targets, then bounded by
 * min and max and by a doubling (at least +4) per decision. Tasks without a measurement yet
 * count as idle when scaling up, and hold a scale-down back. Undefined when the service is not
 * autoscaled or no task was measured. Pure.
 */
export function recommendReplicas(service: Service, running: readonly Task[], usage: ReadonlyMap<string, TaskUsage>): Recommendation | undefined {
  const auto = service.spec.autoscale;
  const mode = service.spec.mode;
  if (auto === undefined || mode.kind !== 'replicated') return undefined;
  const measured = running.flatMap((task) => { const u = usage.get(task.id); return u === undefined ? [] : [{ task, u }]; });
  if (measured.length === 0) return undefined;
  const current = mode.replicas;
  const { limits, reservations } = service.spec.taskTemplate.resources;
  const targets: { name: string; target: number; uses: number[] }[] = [];
  if (auto.cpuPercent !== undefined) {
    const base = reservations.nanoCpus || limits.nanoCpus || 1e9;
    targets.push({ name: 'cpu', target: auto.cpuPercent, uses: measured.map(({ u }) => (u.cpuNanos / base) * 100) });
  }
  if (auto.memoryPercent !== undefined) {
    const base = limits.memoryBytes || reservations.memoryBytes;
    if (base > 0) targets.push({ name: 'memory', target: auto.memoryPercent, uses: measured.map(({ u }) => (u.memoryBytes / base) * 100) });
  }
  let wanted = 0;
  const reasons: string[] = [];
  for (const { name, target, uses } of targets) {
    const total = uses.reduce((a, b) => a + b, 0);
    const average = total / uses.length;
    const within = Math.abs(average / target - 1) <= TOLERANCE;
    const asked = within ? current : Math.ceil(total / target - 1e-9);
    wanted = Math.max(wanted, asked);
    reasons.push(`${name} ${percent(average)} of a ${percent(target)} target over ${uses.length} task${uses.length === 1 ? '' : 's'}`);
  }
  if (wanted < current && measured.length < running.length) wanted = current;
  const bounded = Math.min(auto.maxReplicas, Math.max(auto.minReplicas, Math.min(wanted, Math.max(current * 2, current + 4))));
  return { replicas: bounded, reason: reasons.join(', ') };
}

/** An earlier recommendation, kept for the scale-down window. */
export interface PastRecommendation {
  readonly atMs: number;
  readonly replicas: number;
}

/**
 * The replicas to set now (Kubernetes' stabilization): up at once to the recommendation; down
 * only to the highest recommendation of the last `windowMs` (this one included), so that a
 * short dip in load does not remove tasks. Pure.
 */
export function stabilizedReplicas(current: number, recommended: number, history: readonly PastRecommendation[], windowMs: number, nowMs: number): number {
  if (recommended >= current) return recommended;
  const highest = history.filter((h) => nowMs - h.atMs <= windowMs).reduce((max, h) => Math.max(max, h.replicas), recommended);
  return Math.min(current, highest);
}
