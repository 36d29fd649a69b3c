/** The `token` and `audit` verbs (through berthd's routes) and `certs` (pki/, files in a directory). */
import { isIP } from 'node:net';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { GlobalOptions } from '../args/command-spec.js';
import { errnoCode, errors } from '../../base/errors.js';
import { goDurationMs } from '../../base/go-duration.js';
import { outputFormat, printJson, progress, withClient } from '../context.js';
import { renderTable } from '../format.js';
import { apiTime } from '../time-arg.js';

export interface TokenCreateFlags { name?: string; role?: string; expires?: string }
export interface AuditListFlags { since?: string; user?: string; object?: string; format?: string }
export interface CertsFlags { dir?: string; cn?: string; host: string[]; days?: string; name?: string; role?: string; out?: string }

export async function createTokenAction(globals: GlobalOptions, flags: TokenCreateFlags): Promise<void> {
  if (flags.name === undefined) throw errors.invalidArgument('missing-flag', 'token create needs --name');
  let expiresIn: number | undefined;
  if (flags.expires !== undefined) {
    const ms = goDurationMs(flags.expires);
    if (ms === undefined || ms < 1000) throw errors.invalidArgument('invalid-flag', `--expires ${flags.expires}: want a duration of at least 1s, such as 24h`);
    expiresIn = Math.floor(ms / 1000);
  }
  await withClient(globals, async (client) => {
    const { AccessClient } = await import('../../client/access-client.js');
    const created = await new AccessClient(client.transport).createToken({
      Name: flags.name ?? '', Role: flags.role ?? 'viewer', ...(expiresIn === undefined ? {} : { ExpiresIn: expiresIn }),
    });
    process.stdout.write(`${created.Token}\n`);
  });
}

export async function listTokensAction(globals: GlobalOptions, format: string | undefined): Promise<void> {
  const output = outputFormat(format);
  await withClient(globals, async (client) => {
    const { AccessClient } = await import('../../client/access-client.js');
    const tokens = await new AccessClient(client.transport).listTokens();
    if (output === 'json') printJson(tokens);
    else process.stdout.write(`${renderTable(['NAME', 'ROLE', 'CREATED', 'EXPIRES'], tokens.map((t) => [t.Name, t.Role, t.CreatedAt, t.ExpiresAt ?? 'never']))}\n`);
  });
}

export async function removeTokenAction(globals: GlobalOptions, name: string): Promise<void> {
  await withClient(globals, async (client) => {
    const { AccessClient } = await import('../../client/access-client.js');
    await new AccessClient(client.transport).removeToken(name);
    process.stdout.write(`${name}\n`);
  });
}

export async function listAuditAction(globals: GlobalOptions, flags: AuditListFlags): Promise<void> {
  const output = outputFormat(flags.format);
  const since = flags.since === undefined ? undefined : apiTime(flags.since, new Date(), '--since');
  await withClient(globals, async (client) => {
    const { AccessClient } = await import('../../client/access-client.js');
    const entries = await new AccessClient(client.transport).listAudit({ since, user: flags.user, object: flags.object });
    if (output === 'json') {
      printJson(entries);
      return;
    }
    const rows = entries.map(({ request, outcome }) => [
      request.time, request.who.name, request.who.role, `${request.method} ${request.path}`, outcome === undefined ? '-' : String(outcome.status),
    ]);
    process.stdout.write(`${renderTable(['TIME', 'WHO', 'ROLE', 'REQUEST', 'STATUS'], rows)}\n`);
  });
}

export async function verifyAuditAction(globals: GlobalOptions): Promise<void> {
  await withClient(globals, async (client) => {
    const { AccessClient } = await import('../../client/access-client.js');
    const result = await new AccessClient(client.transport).verifyAudit();
    if (!result.ok) throw errors.dataLoss('audit-chain-broken', `audit trail: ${result.problem?.message ?? 'broken'} (${result.records} records before it are whole)`);
    process.stdout.write(`audit trail whole: ${result.records} records in ${result.files} files\n`);
  });
}

function days(flags: CertsFlags): number {
  const value = Number(flags.days);
  if (!Number.isInteger(value) || value < 1) throw errors.invalidArgument('invalid-flag', `--days ${flags.days ?? ''}: want a positive whole number`);
  return value;
}

/** Writes a file that must not exist yet (certificates are never silently replaced); keys 0600. */
async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag: 'wx' });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw errors.alreadyExists('file-exists', `${path} exists: remove it first, or use another --dir / --out`);
    throw err;
  }
  progress(`wrote ${path}`);
}

async function readCa(dir: string): Promise<{ certPem: string; keyPem: string }> {
  try {
    return { certPem: await readFile(join(dir, 'ca.pem'), 'utf8'), keyPem: await readFile(join(dir, 'ca-key.pem'), 'utf8') };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw errors.notFound('ca-not-found', `no ca.pem and ca-key.pem in ${dir}: run berth certs ca --dir ${dir} first`);
    throw err;
  }
}

export async function certsAction(kind: 'ca' | 'server' | 'client', flags: CertsFlags): Promise<void> {
  const { createCertificateAuthority, issueCertificate } = await import('../../pki/certificates.js');
  const dir = flags.dir ?? '.';
  const now = new Date();
  await mkdir(dir, { recursive: true });
  if (kind === 'ca') {
    const ca = await createCertificateAuthority({ commonName: flags.cn ?? 'berth-ca', now, validDays: days(flags) });
    await writeNew(join(dir, 'ca-key.pem'), ca.keyPem, 0o600);
    await writeNew(join(dir, 'ca.pem'), ca.certPem, 0o644);
    return;
  }
  const ca = await readCa(dir);
  if (kind === 'server') {
    const hosts = flags.host.length > 0 ? flags.host : ['localhost', '127.0.0.1'];
    const leaf = await issueCertificate({
      ca, usage: 'server', commonName: flags.cn ?? 'berthd', now, validDays: days(flags),
      dnsNames: hosts.filter((h) => isIP(h) === 0), ipAddresses: hosts.filter((h) => isIP(h) !== 0),
    });
    await writeNew(join(dir, 'server-key.pem'), leaf.keyPem, 0o600);
    await writeNew(join(dir, 'server-cert.pem'), leaf.certPem, 0o644);
    return;
  }
  if (flags.name === undefined) throw errors.invalidArgument('missing-flag', 'certs client needs --name');
  const out = flags.out ?? dir;
  await mkdir(out, { recursive: true });
  const leaf = await issueCertificate({ ca, usage: 'client', commonName: flags.name, organization: flags.role ?? 'viewer', now, validDays: days(flags) });
  await writeNew(join(out, 'key.pem'), leaf.keyPem, 0o600);
  await writeNew(join(out, 'cert.pem'), leaf.certPem, 0o644);
}
