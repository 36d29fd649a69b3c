import { errnoCode } from './errors.js';

/** Whether a process with this pid exists (EPERM still means it exists). */
export function isProcessAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}
