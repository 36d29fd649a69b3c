/**
 * berthd's dashboard flags → startDashboard's `addr` and `tls`: `--dashboard-addr HOST:PORT`, and
 * `--dashboard-tls-cert FILE` with `--dashboard-tls-key FILE` (PEM) to serve HTTPS, which lets the
 * address be any (dashboard/dashboard-addr.ts, dashboard/dashboard-tls.ts). Everything is checked
 * before berthd opens anything; each failure is invalid-argument naming its flag.
 */
import { readFile } from 'node:fs/promises';
import { errors, messageOf } from '../base/errors.js';
import { parseDashboardAddr } from '../dashboard/dashboard-addr.js';
import { checkDashboardTls, type DashboardTls } from '../dashboard/dashboard-tls.js';

export interface DashboardFlags {
  dashboardAddr?: string;
  dashboardTlsCert?: string;
  dashboardTlsKey?: string;
}

async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('invalid-flag', `${flag} ${path}: ${messageOf(cause)}`, { cause });
  }
}

/**
 * `--dashboard-tls-cert` and `--dashboard-tls-key` → the dashboard's `tls` (their PEM texts), or
 * undefined when neither is given. Throws invalid-argument: `missing-flag` for one without the
 * other, `invalid-flag` for a file that cannot be read, and dashboard-tls.ts's reasons for a
 * certificate or key that does not parse or a key that is not the certificate's.
 */
export async function dashboardTlsOption(certFile: string | undefined, keyFile: string | undefined): Promise<DashboardTls | undefined> {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw errors.invalidArgument('missing-flag', '--dashboard-tls-key needs --dashboard-tls-cert (the certificate it is the key of)');
  if (keyFile === undefined) throw errors.invalidArgument('missing-flag', '--dashboard-tls-cert needs --dashboard-tls-key (the certificate\'s private key)');
  const tls = { cert: await readFlagFile('--dashboard-tls-cert', certFile), key: await readFlagFile('--dashboard-tls-key', keyFile) };
  checkDashboardTls(tls, { cert: `--dashboard-tls-cert ${certFile}`, key: `--dashboard-tls-key ${keyFile}` });
  return tls;
}

/**
 * All three flags → what startDashboard takes besides the state root, the socket and the log, or
 * undefined when the dashboard is not asked for. Throws invalid-argument: dashboardTlsOption's,
 * `missing-flag` for TLS flags without `--dashboard-addr`, and parseDashboardAddr's (a malformed
 * address, or one that is not loopback without TLS).
 */
export async function readDashboardFlags(flags: DashboardFlags): Promise<{ addr: string; tls?: DashboardTls } | undefined> {
  const tls = await dashboardTlsOption(flags.dashboardTlsCert, flags.dashboardTlsKey);
  if (flags.dashboardAddr === undefined) {
    if (tls !== undefined) throw errors.invalidArgument('missing-flag', '--dashboard-tls-cert and --dashboard-tls-key need --dashboard-addr (the address the dashboard serves HTTPS on)');
    return undefined;
  }
  parseDashboardAddr(flags.dashboardAddr, { tls: tls !== undefined });
  return { addr: flags.dashboardAddr, ...(tls !== undefined && { tls }) };
}
