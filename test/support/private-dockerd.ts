// A private Docker daemon for side-by-side tests and benchmarks: Debian's dockerd with its own
// data-root, exec-root, pid file, unix socket, managed containerd and cgroup parent, no TCP
// listener, no iptables and no bridge (or, when asked, an existing bridge it does not own, still
// without iptables, masquerade or ip_forward changes: published ports then go through docker-proxy).
// Everything it creates lives under one base directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { errors } from '../../src/base/errors.js';
import { ChildProcessRunner, type RunResult } from '../../src/base/process-runner.js';
import { currentMountPointsBelow as mountsBelow } from '../../src/mount/mountinfo.js';

/** Options of PrivateDockerd.start. */
export interface PrivateDockerdOptions {
  /** Base directory (default: a fresh /tmp/berth-dockerd-XXXXXX). Leftovers of a killed run there are cleaned first. */
  baseDir?: string;
  /** Bound on waiting for `/_ping` to answer (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * An existing Linux bridge with an IPv4 address for the default network (`--bridge NAME`);
   * the caller makes and removes it. Without it, containers get no network but `none`.
   */
  bridge?: string;
  /**
   * An existing network namespace (a name under /run/netns, made and removed by the caller) to run
   * dockerd in, through `nsenter --net` (its mounts stay in the host's mount namespace): whatever
   * networks it makes (Swarm's ingress, docker_gwbridge) live and die with that namespace.
   */
  netns?: string;
}

const DOCKERD = '/usr/sbin/dockerd';
const STOP_GRACE_MS = 20_000;
const runner = new ChildProcessRunner();

/** A running private dockerd; `stop()` ends it and removes everything it made. */
export class PrivateDockerd {
  private constructor(
    /** The directory holding data, exec state, socket, pid file and log. */
    readonly baseDir: string,
    private readonly child: ChildProcess,
    private readonly cgroupParent: string,
  ) {}

  /** The API socket path. */
  get socketPath(): string {
    return join(this.baseDir, 'docker.sock');
  }

  /** DOCKER_HOST value for clients. */
  get host(): string {
    return `unix://${this.socketPath}`;
  }

  /** The daemon's log file (stdout and stderr of dockerd and its containerd). */
  get logPath(): string {
    return join(this.baseDir, 'dockerd.log');
  }

  /**
   * Starts dockerd and resolves once `/_ping` answers on its socket. Throws unavailable
   * (`dockerd-not-ready`) with the log's tail when it exits early or does not answer in time;
   * everything started is then stopped and removed.
   */
  static async start(options: PrivateDockerdOptions = {}): Promise<PrivateDockerd> {
    const baseDir = options.baseDir === undefined ? await mkdtemp('/tmp/berth-dockerd-') : resolve(options.baseDir);
    await cleanLeftovers(baseDir);
    await mkdir(join(baseDir, 'cli'), { recursive: true });
    const cgroupParent = `/berth-dockerd-${randomBytes(4).toString('hex')}`;
    await writeFile(join(baseDir, 'cgroup-parent'), cgroupParent);
    await writeFile(join(baseDir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(baseDir, 'key.json') }));
    const log = openSync(join(baseDir, 'dockerd.log'), 'a');
    const args = daemonArgs(baseDir, cgroupParent, options.bridge);
    const [command, argv] = options.netns === undefined ? [DOCKERD, args] : ['nsenter', [`--net=/run/netns/${options.netns}`, '--', DOCKERD, ...args]];
    const child = spawn(command, argv, {
      stdio: ['ignore', log, log],
      env: { ...process.env, PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}` },
    });
    closeSync(log);
    const daemon = new PrivateDockerd(baseDir, child, cgroupParent);
    try {
      await daemon.waitReady(options.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await daemon.stop();
      throw err;
    }
    return daemon;
  }

  /**
   * Runs the docker CLI (/usr/bin/docker when present) against this daemon with a private
   * DOCKER_CONFIG and DOCKER_BUILDKIT=0 (the legacy builder needs no network). Throws like
   * ProcessRunner.run on a non-zero exit.
   */
  docker(args: readonly string[], input?: string | Uint8Array): Promise<RunResult> {
    const cli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
    const env = { ...process.env, DOCKER_HOST: this.host, DOCKER_CONFIG: join(this.baseDir, 'cli'), DOCKER_BUILDKIT: '0' };
    return runner.run(cli, args, input === undefined ? { env } : { env, input });
  }

  /**
   * Stops dockerd (SIGTERM, SIGKILL after a bound), then its containerd, shims and any container
   * left in its cgroups, unmounts everything under the base directory and removes it. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((done) => this.child.once('exit', () => { done(); }));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    await cleanLeftovers(this.baseDir, this.cgroupParent);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) break;
      if (await ping(this.socketPath)) return;
      await delay(100);
    }
    const tail = (await readFile(this.logPath, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    throw errors.unavailable('dockerd-not-ready', `private dockerd in ${this.baseDir} did not become ready:\n${tail}`);
  }
}

function daemonArgs(baseDir: string, cgroupParent: string, bridge: string | undefined): string[] {
  return [
    '--data-root', join(baseDir, 'data'),
    '--exec-root', join(baseDir, 'exec'),
    '--pidfile', join(baseDir, 'docker.pid'),
    '--config-file', join(baseDir, 'daemon.json'),
    '-H', `unix://${join(baseDir, 'docker.sock')}`,
    '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--ip-forward=false',
    ...(bridge === undefined ? ['--bridge=none'] : ['--bridge', bridge]),
    '--cgroup-parent', cgroupParent,
    '--exec-opt', 'native.cgroupdriver=cgroupfs',
  ];
}

/** True when GET /_ping on the socket answers 200. */
function ping(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => { done(false); });
    req.on('timeout', () => { req.destroy(); done(false); });
    req.end();
  });
}

/**
 * Ends every dockerd/containerd/shim process whose command line names `baseDir`, kills what is left
 * in the cgroup parent, unmounts everything below `baseDir` and removes it. Safe on a missing dir.
 */
async function cleanLeftovers(baseDir: string, cgroupParent?: string): Promise<void> {
  const parent = cgroupParent ?? (await readFile(join(baseDir, 'cgroup-parent'), 'utf8').catch(() => undefined));
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = await daemonPids(baseDir);
    for (const pid of pids) killQuietly(pid, signal);
    for (let waited = 0; waited < STOP_GRACE_MS && (await daemonPids(baseDir)).length > 0; waited += 100) await delay(100);
  }
  if (parent !== undefined) await removeCgroups(parent.trim());
  for (const point of await mountsBelow(baseDir)) {
    await runner.run('umount', [point], { okCodes: [0, 32] }).catch(() => runner.run('umount', ['-l', point], { okCodes: [0, 32] }));
  }
  await rm(baseDir, { recursive: true, force: true });
}

/** Pids of dockerd, containerd and shims whose command line mentions `baseDir`. */
async function daemonPids(baseDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const program = basename(argv[0] ?? '');
    if (/^(dockerd|containerd)/.test(program) && argv.some((arg) => arg.includes(baseDir))) pids.push(pid);
  }
  return pids;
}

/** Kills every process in the cgroup subtree `parent` (each v1 hierarchy and v2) and removes it. */
async function removeCgroups(parent: string): Promise<void> {
  const hierarchies = ['/sys/fs/cgroup', ...(await readdir('/sys/fs/cgroup').catch(() => [])).map((h) => join('/sys/fs/cgroup', h))];
  for (const hierarchy of hierarchies) {
    const top = join(hierarchy, parent);
    if (existsSync(join(top, 'cgroup.procs'))) await removeCgroupTree(top);
  }
}

async function removeCgroupTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeCgroupTree(join(dir, entry.name));
  for (let attempt = 0; attempt < 50; attempt++) {
    const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const pid of procs) killQuietly(Number(pid), 'SIGKILL');
    if (await rmdir(dir).then(() => true, () => false)) return;
    await delay(100);
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
