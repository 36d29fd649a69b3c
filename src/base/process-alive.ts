/**
 * Whether the process that made something (a temp file, a lease, a scratch directory) still
 * runs. A bare pid is not enough: right after a kill -9 the process can still be a zombie (it
 * exists, yet will never write again), and a pid is reused. An owner tag names a process as a
 * dead one cannot pretend to be: its pid and its start time (clock ticks since boot, from
 * /proc/<pid>/stat), `<pid>.<start>`. Names written before tags existed carry a bare pid; they
 * are judged by the pid alone (zombies count as gone).
 */
import { readFileSync } from 'node:fs';
import { errnoCode } from './errors.js';

/** The state letter and start time of `/proc/<pid>/stat`, or undefined when there is no such process. */
function procStat(pid: number): { state: string; startTime: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ESRCH') return undefined;
    throw err;
  }
  // The command name (2nd field) is in parentheses and may hold spaces: fields count after its ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTime: Number(fields[19]) };
}

/**
 * Whether a process with this pid runs (a zombie does not; EPERM from a signal check means it
 * exists). With `startTime`, only if it is the same process (the pid was not reused).
 */
export function isProcessAlive(pid: number, startTime?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat;
  try {
    stat = procStat(pid);
  } catch {
    // /proc/<pid>/stat unreadable for another reason than a missing process (/proc mounted with
    // hidepid, or not at all): a signal check answers instead.
    return signalReaches(pid);
  }
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

let ownTag: string | undefined;

/** This process's owner tag, `<pid>.<start time>`, to put in the names of what it makes. */
export function ownerTag(): string {
  ownTag ??= `${process.pid}.${procStat(process.pid)?.startTime ?? 0}`;
  return ownTag;
}

/** The pattern of an owner tag (or a bare pid, from before tags), for name parsers. */
export const OWNER_TAG_PATTERN = '\\d+(?:\\.\\d+)?';

/** Whether the process an owner tag (or a bare pid) names still runs. Malformed: false. */
export function isOwnerAlive(tag: string): boolean {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(tag);
  if (match === null) return false;
  return isProcessAlive(Number(match[1]), match[2] === undefined ? undefined : Number(match[2]));
}
