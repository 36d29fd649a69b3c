// The markdown report of the container-start benchmark: one table, docker's column first, then
// podman's (with its ratio to docker's), then berth's, each cell with its ratios to docker's and
// podman's (below 1 means faster or smaller), then errors.
import type { AnyEngine } from './container-clients.js';
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
  engine: AnyEngine;
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
  /** docker CLI → dockerd first, then podman: the anchors of the ratios of the columns after them. */
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

/** A value a cell is compared with: `0.58× docker`. */
interface Anchor { name: string; value: number | undefined }

function cell(value: number | undefined, anchors: readonly Anchor[], digits: number, extra = ''): string {
  if (value === undefined) return 'n/a';
  const ratios = anchors.flatMap((a) => (a.value === undefined || a.value === 0 || Number.isNaN(a.value) ? [] : [`${(value / a.value).toFixed(2)}× ${a.name}`]));
  const notes = [extra, ...ratios].filter((s) => s !== '').join(', ');
  return `${value.toFixed(digits)}${notes === '' ? '' : ` (${notes})`}`;
}

function outcomeCell<T>(outcome: Outcome<T>, pick: (value: T) => number, anchors: readonly Anchor[], digits: number, extra?: (value: T) => string): string {
  if (!outcome.ok) return brief(outcome.error);
  return cell(pick(outcome.value), anchors, digits, extra?.(outcome.value) ?? '');
}

function valueOf<T>(outcome: Outcome<T> | undefined, pick: (value: T) => number): number | undefined {
  return outcome?.ok === true ? pick(outcome.value) : undefined;
}

export function renderReport(input: ReportInput): string {
  const { sides } = input;
  const anchorSides = sides.filter((side) => side.engine !== 'berth');
  const rows: string[] = [];
  const metric = <T>(name: string, goal: string, get: (side: SideResult) => Outcome<T>, pick: (value: T) => number, digits: number, extra?: (value: T) => string): void => {
    // Each column's ratios: to the anchors (docker, podman) left of it.
    const anchorsLeftOf = (index: number): Anchor[] =>
      anchorSides.filter((a) => sides.indexOf(a) < index).map((a) => ({ name: a.engine, value: valueOf(get(a), pick) }));
    const cells = sides.map((side, index) => outcomeCell(get(side), pick, anchorsLeftOf(index), digits, extra));
    rows.push(`| ${name} | ${cells.join(' | ')} | ${goal} |`);
  };
  const runRm = `\`run --rm --network none busybox true\`, ${input.runs} runs after ${input.warmups} warm-ups`;
  metric(`${runRm}: median ms`, '≤ 0.3× best anchor', (s) => s.runRm, median, 0);
  metric(`${runRm}: p90 ms`, '', (s) => s.runRm, (v) => percentile(v, 90), 0);
  metric(`${input.idle} × \`run -d --network none busybox sleep 3600\`, ${input.parallel} at a time: total s`, '≤ 0.4× best anchor', (s) => s.idle, (v) => v.seconds, 2);
  metric('memory per idle container: mean PSS of each containerd-shim-runc-v2 (docker) / conmon (podman, berth), MiB', '≤ 1 MB', (s) => s.idle,
    (v) => (v.pss.length === 0 ? Number.NaN : mean(v.pss) / MIB), 2, (v) => `n=${v.pss.length}`);
  for (const [when, memory] of [['at idle, image loaded, before any container', input.before], [`after the ${input.idle}-container phase, all removed`, input.after]] as const) {
    const dockerRss = memory.docker.ok ? (memory.docker.value.dockerd + memory.docker.value.containerd) / MIB : undefined;
    const dockerCell = memory.docker.ok
      ? `${dockerRss?.toFixed(1) ?? ''} (dockerd ${(memory.docker.value.dockerd / MIB).toFixed(1)} + containerd ${(memory.docker.value.containerd / MIB).toFixed(1)})`
      : brief(memory.docker.error);
    const berthCell = memory.berth.ok ? `berthd ${cell(memory.berth.value / MIB, [{ name: 'docker', value: dockerRss }], 1)}` : brief(memory.berth.error);
    const firstBerth = sides.findIndex((side) => side.engine === 'berth');
    const cells = sides.map((side, index) =>
      side.engine === 'docker' ? dockerCell : side.engine === 'podman' ? 'no daemon' : index === firstBerth ? berthCell : '(same berthd)');
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
    '# Container start: docker, podman and berth',
    '',
    ...input.meta.map((line) => `- ${line}`),
    '',
    `| measurement | ${input.sides.map((side) => side.label).join(' | ')} | goal |`,
    `| --- | ${input.sides.map(() => '---:').join(' | ')} | --- |`,
    ...rows,
    '',
    'Ratios in parentheses: to the docker CLI → dockerd column (× docker) and to the podman column (× podman); below 1 means faster or smaller.',
    'Goals "× best anchor" are judged against the faster of docker and podman in each row: the larger of the two ratios in a berth cell must meet them.',
    '',
    '## All run --rm times',
    '',
    ...raw,
    '',
    ...(errors.length > 0 ? ['## Errors', '', ...errors.map((line) => line.replace(/\n/g, '\n  ')), ''] : []),
  ].join('\n');
}
