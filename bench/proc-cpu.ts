// CPU time of processes from /proc/<pid>/stat (utime + stime, in clock ticks), and their children.
import { readdir, readFile } from 'node:fs/promises';
import { ChildProcessRunner } from '../src/base/process-runner.js';

/** The fields of /proc/<pid>/stat after `(comm)`: state is [0], ppid [1], utime [11], stime [12]. */
async function statFields(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of a process so far, in clock ticks; throws when it is gone. */
export async function cpuTicks(pid: number): Promise<number> {
  const fields = await statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}

/** Clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
export async function ticksPerSecond(): Promise<number> {
  const { stdout } = await new ChildProcessRunner().run('getconf', ['CLK_TCK']);
  const ticks = Number(stdout.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** The pids whose parent is `ppid`, with their program name (`comm`). */
export async function childrenOf(ppid: number): Promise<{ pid: number; comm: string }[]> {
  const found: { pid: number; comm: string }[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < 0) continue;
    if (Number(text.slice(close + 2).split(' ')[1]) === ppid) found.push({ pid, comm: text.slice(open + 1, close) });
  }
  return found;
}
