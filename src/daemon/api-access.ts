/**
 * berthd's access flags → what the API server needs: the socket's group (`--group`, resolved to
 * a gid; a group that does not exist leaves the socket to root, said in the log), the roles
 * (built in, plus `--roles FILE`), the role of socket peers other than root (`--socket-role`),
 * the bearer tokens of the state root, the reader of socket peers, and the TLS listener's
 * material (`--tls-addr` with `--tlscacert`, `--tlscert`, `--tlskey`), and the audit trail
 * (`<root>/audit`, files of at most `--audit-max-size` bytes).
 */
import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../base/clock.js';
import { errors, isBerthError, messageOf } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { BUILT_IN_ROLES, TokenStore, type Role } from '../security/access/index.js';
import { AuditLog, DEFAULT_AUDIT_FILE_BYTES } from '../security/audit/index.js';
import type { ApiAccess } from '../api/access/access-hook.js';
import { DEFAULT_PEERCRED_PROGRAM, PeerCredentialReader } from '../api/access/peer-credentials.js';
import type { TlsListenerOptions } from '../api/access/tls-listener.js';

export interface AccessFlags {
  group: string;
  socketRole: string;
  roles?: string;
  tlsAddr?: string;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  /** Start a new audit file beyond this many bytes. */
  auditMaxSize?: string;
}

export interface DaemonAccess {
  access: ApiAccess;
  socketGroup?: number;
  tls?: TlsListenerOptions;
}

/** The gid of group `name`, or undefined when there is no such group. */
async function groupId(name: string, runner: ProcessRunner): Promise<number | undefined> {
  const { code, stdout } = await runner.run('getent', ['group', name], { okCodes: [0, 2] });
  if (code !== 0) return undefined;
  const gid = Number(stdout.split(':')[2]);
  return Number.isSafeInteger(gid) ? gid : undefined;
}

async function readPem(flag: string, path: string | undefined): Promise<string> {
  if (path === undefined) throw errors.invalidArgument('missing-flag', `--tls-addr needs ${flag}`);
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('invalid-flag', `${flag} ${path}: ${messageOf(cause)}`, { cause });
  }
}

async function tlsOf(flags: AccessFlags): Promise<TlsListenerOptions | undefined> {
  if (flags.tlsAddr === undefined) return undefined;
  return {
    addr: flags.tlsAddr,
    caPem: await readPem('--tlscacert', flags.tlscacert),
    certPem: await readPem('--tlscert', flags.tlscert),
    keyPem: await readPem('--tlskey', flags.tlskey),
  };
}

async function rolesOf(flags: AccessFlags): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>(BUILT_IN_ROLES);
  if (flags.roles !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.roles, 'utf8');
    } catch (cause) {
      throw errors.invalidArgument('invalid-flag', `--roles ${flags.roles}: ${messageOf(cause)}`, { cause });
    }
    const { parseRoleFile } = await import('../security/access/role-file.js');
    for (const [name, role] of parseRoleFile(text, flags.roles)) roles.set(name, role);
  }
  if (!roles.has(flags.socketRole)) throw errors.invalidArgument('invalid-flag', `--socket-role ${flags.socketRole}: no such role (roles: ${[...roles.keys()].join(', ')})`);
  return roles;
}

/** Reads the flags' files and the state root's tokens; invalid-argument naming the flag. */
export async function openDaemonAccess(flags: AccessFlags, root: string, deps: { runner: ProcessRunner; clock: Clock; log: (message: string) => void }): Promise<DaemonAccess> {
  const roles = await rolesOf(flags);
  const tokens = await TokenStore.open(root, { clock: deps.clock });
  let peers: PeerCredentialReader | undefined = new PeerCredentialReader();
  try {
    await access(DEFAULT_PEERCRED_PROGRAM, constants.X_OK);
  } catch {
    if (flags.socketRole !== 'admin') {
      throw errors.failedPrecondition('peercred-missing', `--socket-role ${flags.socketRole} needs ${DEFAULT_PEERCRED_PROGRAM} to tell root from other socket peers (npm run build makes it)`);
    }
    deps.log(`${DEFAULT_PEERCRED_PROGRAM} not found (npm run build makes it): socket peers are not told apart, each gets role admin`);
    peers = undefined;
  }
  let socketGroup: number | undefined;
  try {
    socketGroup = await groupId(flags.group, deps.runner);
  } catch (err) {
    if (!isBerthError(err)) throw err;
    deps.log(`cannot look up group ${flags.group}: ${err.message}`);
  }
  if (socketGroup === undefined) deps.log(`group ${flags.group} does not exist: the socket stays root's only (mode 0660, group root); scripts/install.sh creates it`);
  const tls = await tlsOf(flags);
  const maxFileBytes = flags.auditMaxSize === undefined ? DEFAULT_AUDIT_FILE_BYTES : Number(flags.auditMaxSize);
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 4096) throw errors.invalidArgument('invalid-flag', `--audit-max-size ${flags.auditMaxSize ?? ''}: want a number of bytes, at least 4096`);
  const audit = await AuditLog.open(join(root, 'audit'), { clock: deps.clock, maxFileBytes });
  const apiAccess: ApiAccess = { roles, tokens, socketRole: flags.socketRole, clock: deps.clock, audit, log: deps.log, ...(peers === undefined ? {} : { peers }) };
  return { access: apiAccess, ...(socketGroup === undefined ? {} : { socketGroup }), ...(tls === undefined ? {} : { tls }) };
}
