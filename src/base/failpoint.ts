/**
 * Crash points for tests of crash safety: when the environment variable BERTH_FAILPOINT names
 * `point`, the process kills itself with SIGKILL right there, as a power cut or kill -9 would.
 */
export function failpoint(point: string): void {
  if (process.env.BERTH_FAILPOINT === point) process.kill(process.pid, 'SIGKILL');
}
