// Reading processes and their memory from /proc: who is running (argv), and RSS / PSS in KiB.
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** A live process and its command line. */
export interface ProcessInfo {
  pid: number;
  argv: string[];
  /** basename of argv[0] */
  program: string;
}

/** Every process visible in /proc except this one (processes that vanish while listing are skipped). */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline === '') continue; // kernel thread, zombie, or gone
    const argv = cmdline.split('\0').filter((arg, i, all) => i < all.length - 1 || arg !== '');
    found.push({ pid, argv, program: basename(argv[0] ?? '') });
  }
  return found;
}

/** True when some argument is `path` or names something below it. */
export function mentions(info: ProcessInfo, path: string): boolean {
  return info.argv.some((arg) => arg === path || arg.includes(`${path}/`));
}

/** One `<Key>: <n> kB` field of a /proc file, in KiB; throws when the process or field is missing. */
async function kbField(file: string, key: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (match?.[1] === undefined) throw new Error(`${file}: no ${key} field`);
  return Number(match[1]);
}

/** Proportional set size of a process (shared pages divided among their users), KiB. */
export function pssKib(pid: number): Promise<number> {
  return kbField(`/proc/${pid}/smaps_rollup`, 'Pss');
}

/** Resident set size of a process, KiB. */
export function rssKib(pid: number): Promise<number> {
  return kbField(`/proc/${pid}/status`, 'VmRSS');
}

/** Sends a signal, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
