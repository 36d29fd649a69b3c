// The markdown report of the container-start benchmark: one table, docker's column first, each
// berth cell with its ratio to docker's (below 1 means berth is faster or smaller), then errors.
import type { Engine } from './container-clients.js';
import { mean, median, percentile } from './stats.js';

/** A measurement, or why it could not be made. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface IdleResult {
  /** Wall time to start every container, seconds. */
  seconds: number;
  /** PSS (KiB) of each per-container monitor process found while they ran. */
  pss: number[];
}

/** Everything measured through one client. */
export interface SideResult {
  label: string;
  engine: Engine;
  /** Wall times of `run --rm`, ms (warm-ups excluded). */
  runRm: Outcome<number[]>;
  idle: Outcome<IdleResult>;
}

/** Daemon RSS in KiB: dockerd + containerd, and berthd. */
export interface DaemonMemory {
  docker: Outcome<{ dockerd: number; containerd: number }>;
  berth: Outcome<number>;
}

export interface ReportInput {
  /** docker CLI → dockerd first; it is the baseline of every ratio. */
  sides: readonly SideResult[];
  before: DaemonMemory;
  after: DaemonMemory;
  runs: number;
  warmups: number;
  idle: number;
  parallel: number;
  /** Bullet lines about the machine, versions and method. */
  meta: readonly string[];
}

const MIB = 1024;

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

/** The first line of an error, shortened, for a table cell. */
function brief(error: string): string {
  const line = error.split('\n')[0] ?? error;
  return `error: ${escapeCell(line.length > 70 ? `${line.slice(0, 67)}…` : line)}`;
}

function cell(value: number | undefined, baseline: number | undefined, digits: number, extra = ''): string {
  if (value === undefined) return 'n/a';
  const ratio = baseline === undefined || baseline === 0 ? '' : `${(value / baseline).toFixed(2)}×`;
  const notes = [extra, ratio].filter((s) => s !== '').join(', ');
  return `${value.toFixed(digits)}${notes === '' ? '' : ` (${notes})`}`;
}

function outcomeCell<T>(outcome: Outcome<T>, pick: (value: T) => number, baseline: number | undefined, digits: number, extra?: (value: T) => string): string {
  if (!outcome.ok) return brief(outcome.error);
  return cell(pick(outcome.value), baseline, digits, extra?.(outcome.value) ?? '');
}

function valueOf<T>(outcome: Outcome<T> | undefined, pick: (value: T) => number): number | undefined {
  return outcome?.ok === true ? pick(outcome.value) : undefined;
}

export function renderReport(input: ReportInput): string {
  const [docker, ...berth] = input.sides;
  if (docker === undefined) throw new Error('no docker side');
  const rows: string[] = [];
  const metric = <T>(name: string, goal: string, get: (side: SideResult) => Outcome<T>, pick: (value: T) => number, digits: number, extra?: (value: T) => string): void => {
    const base = valueOf(get(docker), pick);
    const cells = [outcomeCell(get(docker), pick, undefined, digits, extra), ...berth.map((side) => outcomeCell(get(side), pick, base, digits, extra))];
    rows.push(`| ${name} | ${cells.join(' | ')} | ${goal} |`);
  };
  const runRm = `\`run --rm --network none busybox true\`, ${input.runs} runs after ${input.warmups} warm-ups`;
  metric(`${runRm}: median ms`, '≤ 0.3× docker', (s) => s.runRm, median, 0);
  metric(`${runRm}: p90 ms`, '', (s) => s.runRm, (v) => percentile(v, 90), 0);
  metric(`${input.idle} × \`run -d --network none busybox sleep 3600\`, ${input.parallel} at a time: total s`, '≤ 0.4× docker', (s) => s.idle, (v) => v.seconds, 2);
  metric('memory per idle container: mean PSS of each containerd-shim-runc-v2 (docker) / conmon (berth), MiB', '≤ 1 MB', (s) => s.idle,
    (v) => (v.pss.length === 0 ? Number.NaN : mean(v.pss) / MIB), 2, (v) => `n=${v.pss.length}`);
  for (const [when, memory] of [['at idle, image loaded, before any container', input.before], [`after the ${input.idle}-container phase, all removed`, input.after]] as const) {
    const dockerRss = memory.docker.ok ? (memory.docker.value.dockerd + memory.docker.value.containerd) / MIB : undefined;
    const dockerCell = memory.docker.ok
      ? `${dockerRss?.toFixed(1) ?? ''} (dockerd ${(memory.docker.value.dockerd / MIB).toFixed(1)} + containerd ${(memory.docker.value.containerd / MIB).toFixed(1)})`
      : brief(memory.docker.error);
    const berthCell = memory.berth.ok ? `berthd ${cell(memory.berth.value / MIB, dockerRss, 1)}` : brief(memory.berth.error);
    const cells = [dockerCell, ...berth.map((_, i) => (i === 0 ? berthCell : '(same berthd)'))];
    rows.push(`| daemon RSS ${when}, MiB | ${cells.join(' | ')} | ≤ 70 MB |`);
  }
  const errors = input.sides.flatMap((side) => [
    ...(side.runRm.ok ? [] : [`- ${side.label}, run --rm: ${side.runRm.error}`]),
    ...(side.idle.ok ? [] : [`- ${side.label}, ${input.idle} idle containers: ${side.idle.error}`]),
  ]);
  for (const [when, memory] of [['before', input.before], ['after', input.after]] as const) {
    if (!memory.docker.ok) errors.push(`- dockerd memory ${when}: ${memory.docker.error}`);
    if (!memory.berth.ok) errors.push(`- berthd memory ${when}: ${memory.berth.error}`);
  }
  const raw = input.sides.map((side) => `- ${side.label}, run --rm (ms): ${side.runRm.ok ? side.runRm.value.map((ms) => ms.toFixed(0)).join(', ') : 'none'}`);
  return [
    '# Container start: docker vs berth',
    '',
    ...input.meta.map((line) => `- ${line}`),
    '',
    `| measurement | ${input.sides.map((side) => side.label).join(' | ')} | goal |`,
    `| --- | ${input.sides.map(() => '---:').join(' | ')} | --- |`,
    ...rows,
    '',
    'Ratios in parentheses are berth / docker (docker CLI → dockerd); below 1 means berth is faster or smaller.',
    '',
    '## All run --rm times',
    '',
    ...raw,
    '',
    ...(errors.length > 0 ? ['## Errors', '', ...errors.map((line) => line.replace(/\n/g, '\n  ')), ''] : []),
  ].join('\n');
}
