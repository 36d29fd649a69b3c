/**
 * `stats` (a live table, or one sample with --no-stream) and `top`. The figures are computed as
 * the docker CLI does: CPU % from the change in container and host CPU time between two samples,
 * memory without the inactive page cache.
 */
import { messageOf } from '../../base/errors.js';
import type { GlobalOptions } from '../args/command-spec.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { ContainerStats } from '../../wire/container-stats.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { humanSize, renderTable, shortId } from '../format.js';

export interface StatsFlags {
  all?: boolean;
  /** false with --no-stream. */
  stream?: boolean;
  format?: string;
}

/** Binary units as docker stats prints them: 1.5MiB, 64MiB. */
export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(unit === 0 ? 0 : 2))}${units[unit] ?? ''}`;
}

export interface StatsRow {
  id: string;
  name: string;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  memPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** The row the docker CLI would show for one stats document. */
export function statsRow(stats: ContainerStats): StatsRow {
  const cpuDelta = stats.cpu_stats.cpu_usage.total_usage - stats.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (stats.cpu_stats.system_cpu_usage ?? 0) - (stats.precpu_stats.system_cpu_usage ?? 0);
  const cpus = stats.cpu_stats.online_cpus ?? stats.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  const hasPrevious = stats.precpu_stats.system_cpu_usage !== undefined;
  const cpuPercent = hasPrevious && cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = stats.memory_stats;
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  const memUsage = Math.max(0, (memory.usage ?? 0) - inactive);
  const memLimit = memory.limit ?? 0;
  let netRx = 0;
  let netTx = 0;
  for (const net of Object.values(stats.networks ?? {})) {
    netRx += net.rx_bytes;
    netTx += net.tx_bytes;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of stats.blkio_stats.io_service_bytes_recursive ?? []) {
    if (entry.op.toLowerCase() === 'read') blockRead += entry.value;
    if (entry.op.toLowerCase() === 'write') blockWrite += entry.value;
  }
  return {
    id: stats.id, name: stats.name.replace(/^\//, ''), cpuPercent, memUsage, memLimit,
    memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0, netRx, netTx, blockRead, blockWrite, pids: stats.pids_stats.current ?? 0,
  };
}

export function renderStats(rows: readonly StatsRow[]): string {
  return renderTable(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'], rows.map((r) => [
    shortId(r.id), r.name, `${r.cpuPercent.toFixed(2)}%`, `${binarySize(r.memUsage)} / ${binarySize(r.memLimit)}`, `${r.memPercent.toFixed(2)}%`,
    `${humanSize(r.netRx)} / ${humanSize(r.netTx)}`, `${humanSize(r.blockRead)} / ${humanSize(r.blockWrite)}`, String(r.pids),
  ]));
}

async function targetsOf(client: BerthClient, targets: string[], all: boolean): Promise<string[]> {
  if (targets.length > 0) return targets;
  return (await client.containers.list({ all })).map((c) => c.Id);
}

/** Follows every container's stats stream and redraws the table about once a second until interrupted. */
async function streamStats(client: BerthClient, ids: string[], json: boolean): Promise<void> {
  const latest = new Map<string, StatsRow>();
  const aborter = new AbortController();
  process.once('SIGINT', () => { aborter.abort(); });
  const follow = async (id: string): Promise<void> => {
    const response = await client.containers.statsStream(id, aborter.signal);
    let buffered = '';
    for await (const chunk of response as AsyncIterable<Buffer>) {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== '') latest.set(id, statsRow(JSON.parse(line) as ContainerStats));
      }
    }
  };
  const draw = setInterval(() => {
    const rows = ids.flatMap((id) => latest.get(id) ?? []);
    if (json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    else process.stdout.write(`${process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${renderStats(rows)}\n`);
  }, 1000);
  try {
    // Interrupted (Ctrl-C aborts every stream): no failure. Any other failure stops that container's
    // row and is reported as the CLI reports errors; the others go on.
    await Promise.all(ids.map((id) => follow(id).catch((err: unknown) => {
      if (!aborter.signal.aborted) process.stderr.write(`Error: ${messageOf(err)}\n`);
    })));
  } finally {
    clearInterval(draw);
  }
}

/** `stats [CONTAINER...]`: running containers (all with -a); one sample each with --no-stream. */
export async function statsAction(globals: GlobalOptions, targets: string[], flags: StatsFlags): Promise<void> {
  const json = outputFormat(flags.format) === 'json';
  await withClient(globals, async (client) => {
    const ids = await targetsOf(client, targets, flags.all === true);
    if (flags.stream !== false) {
      await streamStats(client, ids, json);
      return;
    }
    const rows = await Promise.all(ids.map(async (id) => statsRow(await client.containers.stats(id))));
    if (json) printJson(rows);
    else process.stdout.write(`${renderStats(rows)}\n`);
  });
}

/** `top CONTAINER [ps options]`: the container's processes as the host's ps shows them. */
export async function topAction(globals: GlobalOptions, target: string, psArgs: string[]): Promise<void> {
  await withClient(globals, async (client) => {
    const table = await client.containers.top(target, psArgs.length > 0 ? psArgs.join(' ') : undefined);
    process.stdout.write(`${renderTable(table.Titles, table.Processes)}\n`);
  });
}
