/**
 * The dashboard's login URL, as berthd leaves it for the CLI: `<root>/dashboard/login-url` (mode
 * 0600, one line: `http://127.0.0.1:PORT/login?token=…`, or `https://HOST:PORT/login?token=…`
 * with TLS), written when the dashboard listens and removed when it stops. Only who can read the state root (root) can read it — the same people who
 * can use the API socket. `berth dashboard url` prints it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';

/** `<root>/dashboard/login-url`. */
export function dashboardLoginPath(root: string): string {
  return join(root, 'dashboard', 'login-url');
}

/** The login URL berthd serving `root` wrote; failed-precondition `no-dashboard` when it serves none. */
export async function readDashboardLogin(root: string): Promise<string> {
  try {
    return (await readFile(dashboardLoginPath(root), 'utf8')).trim();
  } catch (err) {
    if (errnoCode(err) === 'EACCES') throw errors.permissionDenied('dashboard-login-unreadable', `${dashboardLoginPath(root)}: only root may read the dashboard's login URL`, { cause: err });
    if (errnoCode(err) !== 'ENOENT') throw err;
    throw errors.failedPrecondition('no-dashboard', `no dashboard is served for state root ${root}: start berthd with --dashboard-addr 127.0.0.1:PORT (or any address with --dashboard-tls-cert and --dashboard-tls-key)`);
  }
}
