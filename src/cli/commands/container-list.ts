/** `ps` / `container ls`: the docker CLI's table, `-q` ids, or `--format json` (the API's objects). */
import { portsColumn } from './ports-column.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import type { ContainerSummary } from '../../wire/container-inspect.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { ellipsis, relativeTime, renderTable, shortId } from '../format.js';

export interface ListFlags {
  all?: boolean;
  quiet?: boolean;
  filter: string[];
  trunc: boolean;
  format?: string;
  last?: string;
  latest?: boolean;
}

/** The columns of `docker ps`. */
export const CONTAINER_HEADERS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'] as const;

/** `--filter status=exited --filter label=a` → { status: ['exited'], label: ['a'] }. */
export function parseFilters(values: string[]): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at <= 0) throw errors.invalidArgument('invalid-filter', `--filter ${item}: want key=value (id, name, status, exited, ancestor, label)`);
    const key = item.slice(0, at);
    filters[key] = [...(filters[key] ?? []), item.slice(at + 1)];
  }
  return filters;
}

/** The names Docker shows: without the leading `/`, links (names with another `/`) left out. */
function names(container: ContainerSummary): string {
  return container.Names.map((n) => n.replace(/^\//, '')).filter((n) => !n.includes('/')).join(',');
}

/** One table row per container, as `docker ps` prints it (truncated unless `trunc` is false). */
export function containerRows(containers: ContainerSummary[], now: Date, trunc: boolean): string[][] {
  return containers.map((c) => [
    trunc ? shortId(c.Id) : c.Id,
    trunc && c.Image.startsWith('sha256:') ? shortId(c.Image) : c.Image,
    JSON.stringify(trunc ? ellipsis(c.Command, 20) : c.Command),
    relativeTime(new Date(c.Created * 1000), now),
    c.Status,
    portsColumn(c.Ports),
    names(c),
  ]);
}

/** `ps`: running containers (all with -a or -n/-l), filtered by the daemon. */
export async function listAction(globals: GlobalOptions, flags: ListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = parseFilters(flags.filter);
  const last = flags.latest === true ? 1 : flags.last === undefined ? undefined : Number(flags.last);
  if (last !== undefined && (!Number.isSafeInteger(last) || last < 1)) throw errors.invalidArgument('invalid-flag', `--last ${flags.last ?? ''}: want a positive number`);
  await withClient(globals, async (client) => {
    const containers = await client.containers.list({ all: flags.all === true || last !== undefined, filters, ...(last === undefined ? {} : { limit: last }) });
    if (format === 'json') printJson(containers);
    else if (flags.quiet === true) process.stdout.write(containers.map((c) => `${flags.trunc ? shortId(c.Id) : c.Id}\n`).join(''));
    else process.stdout.write(`${renderTable(CONTAINER_HEADERS, containerRows(containers, new Date(), flags.trunc))}\n`);
  });
}
