/**
 * `top`: the host's `ps` output limited to the container's processes, as Docker answers
 * `GET /containers/{id}/top` (titles + one row of columns per process).
 */
import { errors } from '../base/errors.js';
import { runtimeOf, type TaskContext } from './container-task.js';
import { isActive, type ContainerRecord } from './container-record.js';

/** What `top` needs of the engine: the record of a reference, the runtimes and the runner. */
export interface TopContext {
  inspect(ref: string): ContainerRecord;
  task: Pick<TaskContext, 'runtimes' | 'runner'>;
}

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
export async function topContainer(ctx: TopContext, ref: string, psArgs = '-ef'): Promise<ProcessTable> {
  const record = ctx.inspect(ref);
  if (!isActive(record.state)) {
    throw errors.conflict('container-not-running', `Container ${record.id} is not running`);
  }
  const pids = new Set(await runtimeOf(ctx.task, record).cli.pids(record.id));
  const args = psArgs.trim() === '' ? [] : psArgs.trim().split(/\s+/);
  const { stdout } = await ctx.task.runner.run('ps', args);
  return filterPsOutput(stdout, pids);
}
