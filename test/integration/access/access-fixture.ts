// berthd and the berth CLI of this build (the compiled tree this file is in, whatever its outDir),
// each test on its own work dir, state root, socket and cgroup parent; temporary system users and
// groups for the socket tests, removed in cleanup; HTTP over the socket or TLS with a bearer token.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BERTH_ENTRY = join(HERE, 'berth-entry.js');
const BERTHD_ENTRY = join(HERE, 'berthd-entry.js');

export function needsRootOrTools(): string | false {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of ['useradd', 'groupadd', 'setpriv', 'getent']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `no ${tool}`;
  }
  return false;
}

export interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** One HTTP request over a unix socket; `token` adds `Authorization: Bearer`. */
export function callSocket(socketPath: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const req = httpRequest({ socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** One HTTPS request to the TLS listener, trusting `ca`, with a client certificate or a token. */
export function callTls(port: number, ca: string, method: string, path: string, auth: { cert?: string; key?: string; token?: string }, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
    const req = httpsRequest({
      host: '127.0.0.1', port, method, path, headers, ca, agent: false,
      ...(auth.cert === undefined ? {} : { cert: auth.cert }), ...(auth.key === undefined ? {} : { key: auth.key }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export interface Run { code: number | null; stdout: string; stderr: string }

/** The berth CLI of this build. */
export function berthCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(process.execPath, [BERTH_ENTRY, ...args], {
    env: { ...process.env, BERTH_ROOT: '', BERTH_HOST: '', ...env }, encoding: 'utf8', timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function berthCliOk(args: readonly string[]): string {
  const run = berthCli(args);
  if (run.code !== 0) throw new Error(`berth ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

/** Removes an empty cgroup directory, waiting (at most 10 s) while the kernel still holds it busy. */
async function removeCgroup(dir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EBUSY' || Date.now() > deadline) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A berthd of this build on its own work dir; `stop` ends it and removes the dir. */
export class AccessDaemon {
  readonly log: string[] = [];
  readonly cgroupParent = testCgroupName();
  #child: ChildProcess | undefined;

  private constructor(readonly work: string, readonly root: string, readonly socketPath: string) {}

  /** A work dir (socket directory traversable by other users) with busybox when `image`. */
  static async prepare(prefix: string, image = false): Promise<AccessDaemon> {
    await sweepLeftovers(); // what a killed earlier run left (cgroups of dead test processes, stale bridges)
    const work = await mkdtemp(join(tmpdir(), prefix));
    await chmod(work, 0o755);
    await mkdir(join(work, 'run'), { mode: 0o755 });
    const daemon = new AccessDaemon(work, join(work, 'root'), join(work, 'run', 'berth.sock'));
    try {
      if (image) berthCliOk(['--root', daemon.root, 'image', 'bootstrap', 'busybox']);
    } catch (err) {
      await rm(work, { recursive: true, force: true });
      throw err;
    }
    return daemon;
  }

  /** Starts berthd and waits (at most 60 s) until `/_ping` answers root. */
  async start(args: readonly string[] = []): Promise<void> {
    const child = spawn(process.execPath, [BERTHD_ENTRY,
      '--root', this.root, '--socket', this.socketPath, '--cgroup-parent', `/${this.cgroupParent}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    child.stdout.on('data', (c: Buffer) => this.log.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => this.log.push(c.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`berthd exited ${child.exitCode}: ${this.log.join('')}`);
      const answer = await callSocket(this.socketPath, 'GET', '/_ping').catch(() => undefined);
      // Serving and started whole: berthd logs "serving" only once everything is up.
      if (answer?.status === 200 && this.log.join('').includes('serving ')) return;
      if (Date.now() > deadline) throw new Error(`berthd did not answer: ${this.log.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // The containers' cgroup parent, empty once the test removed its containers (runc removes the leaves).
    const hierarchies = await readdir('/sys/fs/cgroup').catch(() => []);
    for (const dir of ['', ...hierarchies.map((h) => `${h}/`)]) await removeCgroup(`/sys/fs/cgroup/${dir}${this.cgroupParent}`);
    await rm(this.work, { recursive: true, force: true });
  }
}

/** A system group and user made for a test (names from `tag`), removed by `remove` (also what an earlier killed run left). */
export class TemporaryAccounts {
  constructor(readonly group: string, readonly inside: string, readonly outside: string) {}

  static create(tag: string): TemporaryAccounts {
    const accounts = new TemporaryAccounts(`bta-${tag}`, `bta-${tag}-in`, `bta-${tag}-out`);
    accounts.remove();
    const run = (command: string, args: string[]): void => {
      const result = spawnSync(command, args, { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    };
    run('groupadd', [accounts.group]);
    for (const user of [accounts.inside, accounts.outside]) run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    run('usermod', ['-a', '-G', accounts.group, accounts.inside]);
    return accounts;
  }

  remove(): void {
    for (const user of [this.inside, this.outside]) spawnSync('userdel', [user]);
    spawnSync('groupdel', [this.group]);
  }

  /** GET `path` on the socket as `user` (setpriv with the user's groups): the status, or the connection's error code. */
  requestAs(user: string, socketPath: string, method: string, path: string, body?: unknown): { status: string; body: string } {
    const script = `const http = require('node:http');
const req = http.request({ socketPath: process.argv[1], method: process.argv[2], path: process.argv[3], headers: { 'content-type': 'application/json' } }, (res) => {
  let text = ''; res.on('data', (c) => { text += c; }); res.on('end', () => { process.stdout.write(JSON.stringify({ status: String(res.statusCode), body: text })); });
});
req.on('error', (err) => { process.stdout.write(JSON.stringify({ status: err.code, body: '' })); });
req.end(process.argv[4] || undefined);`;
    const result = spawnSync('setpriv', [`--reuid=${user}`, `--regid=${user}`, '--init-groups', process.execPath, '-e', script, socketPath, method, path, body === undefined ? '' : JSON.stringify(body)], { encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0) throw new Error(`setpriv as ${user}: ${result.stderr}`);
    return JSON.parse(result.stdout) as { status: string; body: string };
  }
}
