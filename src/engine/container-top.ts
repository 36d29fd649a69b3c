/**
 * `top`: the host's `ps` output limited to the container's processes, as Docker answers
 * `GET /containers/{id}/top` (titles + one row of columns per process).
 */
import { errors } from '../base/errors.js';
import type { ContainerEngine } from './container-engine.js';
import { runtimeOf } from './container-task.js';
import { isActive } from './container-record.js';

export interface ProcessTable {
  titles: string[];
  processes: string[][];
}

/**
 * Splits `ps` output into titles and rows, keeping the rows whose PID column is in `pids`. The
 * last column (the command) keeps its spaces. Throws invalid-argument (`ps-no-pid-column`) when
 * the ps arguments produced no PID column.
 */
export function filterPsOutput(output: string, pids: ReadonlySet<number>): ProcessTable {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidColumn = titles.indexOf('PID');
  if (pidColumn < 0) throw errors.invalidArgument('ps-no-pid-column', 'Couldn\'t find PID field in ps output');
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    if (pids.has(Number(row[pidColumn]))) processes.push(row);
  }
  return { titles, processes };
}

/** The processes of a running container. Throws conflict (`container-not-running`) otherwise. */
export async function topContainer(engine: ContainerEngine, ref: string, psArgs = '-ef'): Promise<ProcessTable> {
  const record = engine.inspect(ref);
  if (!isActive(record.state)) {
    throw errors.conflict('container-not-running', `Container ${record.id} is not running`);
  }
  const pids = new Set(await runtimeOf(engine.task, record).cli.pids(record.id));
  const args = psArgs.trim() === '' ? [] : psArgs.trim().split(/\s+/);
  const { stdout } = await engine.task.runner.run('ps', args);
  return filterPsOutput(stdout, pids);
}
