// berthd and a private dockerd side by side, for tests that take dockerd's answer as the expected
// one: a DockerCliSession (berthd with busybox bootstrapped) and a PrivateDockerd (no bridge) that
// loaded the same busybox from a `berth image save` archive. Raw HTTP over either socket, the
// Python SDK, and `close` that stops both and removes everything even after a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Docker from 'dockerode';
import { berthAt } from './berth-cli.js';
import { DockerCliSession, dockerCliSkip } from './docker-cli-session.js';
import { PrivateDockerd } from './private-dockerd.js';

export const PYTHON = '/usr/bin/python3';
/** The docker 28 CLI, when installed beside Debian's 20.10 one. */
export const NEWER_DOCKER_CLI = '/usr/local/bin/docker';

/** Why side-by-side tests cannot run here, or false. */
export function sideBySideSkip(): string | false {
  return dockerCliSkip() || (!existsSync('/usr/sbin/dockerd') && 'needs dockerd (apt-get install docker.io)')
    || (spawnSync(PYTHON, ['-c', 'import docker'], { encoding: 'utf8' }).status !== 0 && 'needs python3-docker');
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request over a unix socket (the whole answer read). */
export function http(socketPath: string, method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { Host: 'docker', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Docker's multiplexed frames → what each stream carried (two pipes: no order between them). */
export function demuxStreams(body: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  for (let at = 0; at + 8 <= body.length;) {
    const size = body.readUInt32BE(at + 4);
    const text = body.subarray(at + 8, at + 8 + size).toString();
    if (body[at] === 2) out.stderr += text;
    else out.stdout += text;
    at += 8 + size;
  }
  return out;
}

/** The JSON messages of a streamed answer (one a line). */
export function jsonLines(body: string): Record<string, unknown>[] {
  return body.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface PythonResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a Python script with `client = docker.DockerClient(base_url=unix://socket)` defined first,
 * with `interpreter` (Debian's python3 with python3-docker by default; see `pythonSdks`).
 */
export function python(socketPath: string, script: string, interpreter = PYTHON): PythonResult {
  const prelude = `import docker, json, sys\nclient = docker.DockerClient(base_url='unix://${socketPath}', version='1.41')\n`;
  const result = spawnSync(interpreter, ['-c', prelude + script], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** `python` that throws (with stderr) unless the script exits 0, and returns what it printed. */
export function pythonOk(socketPath: string, script: string, interpreter = PYTHON): string {
  const result = python(socketPath, script, interpreter);
  if (result.code !== 0) throw new Error(`${interpreter}: exit ${result.code ?? 'signal'}: ${result.err}`);
  return result.out;
}

/** The interpreters with a Docker SDK: Debian's, and a `python3` on PATH with a newer SDK (6 or later) if there is one. */
export function pythonSdks(): string[] {
  const other = spawnSync('python3', ['-c', 'import docker, sys; print(docker.__version__); print(sys.executable)'], { encoding: 'utf8' });
  const [version, executable] = other.status === 0 ? other.stdout.trim().split('\n') : [];
  const newer = version !== undefined && executable !== undefined && executable !== PYTHON && Number(version.split('.')[0]) >= 6;
  return newer ? [PYTHON, executable] : [PYTHON];
}

/** One daemon of the pair, as a test addresses it. */
export interface Daemon {
  name: 'dockerd' | 'berthd';
  socketPath: string;
  client: Docker;
  /** Runs Debian's docker CLI (classic builder); never throws. */
  docker(args: readonly string[], options?: { input?: string; cli?: string }): { code: number | null; out: string; err: string };
}

export class SideBySide {
  private constructor(readonly berth: DockerCliSession, readonly dockerd: PrivateDockerd) {}

  /** Starts both, busybox in each. Everything started is stopped again when this fails. */
  static async start(prefix: string): Promise<SideBySide> {
    const berth = await DockerCliSession.start(prefix);
    let dockerd: PrivateDockerd | undefined;
    try {
      const archive = join(berth.work, 'busybox.tar');
      const saved = await berthAt(berth.daemon.socketPath, ['image', 'save', '-o', archive, 'busybox']);
      if (saved.code !== 0) throw new Error(`berth image save: ${saved.stderr}`);
      dockerd = await PrivateDockerd.start();
      await dockerd.docker(['load', '-i', archive]);
      return new SideBySide(berth, dockerd);
    } catch (err) {
      await dockerd?.stop();
      await berth.close();
      throw err;
    }
  }

  /** Both daemons: dockerd first (the expected answer), then berthd. */
  get daemons(): [Daemon, Daemon] {
    return [this.daemon('dockerd'), this.daemon('berthd')];
  }

  daemon(name: 'dockerd' | 'berthd'): Daemon {
    const socketPath = name === 'dockerd' ? this.dockerd.socketPath : this.berth.daemon.socketPath;
    const config = join(name === 'dockerd' ? this.dockerd.baseDir : this.berth.work, 'docker-config-side');
    return {
      name,
      socketPath,
      client: new Docker({ socketPath }),
      docker: (args, options = {}) => {
        const env = { ...process.env, DOCKER_HOST: `unix://${socketPath}`, DOCKER_CONFIG: config, DOCKER_BUILDKIT: '0' };
        const result = spawnSync(options.cli ?? '/usr/bin/docker', args, { env, encoding: 'utf8', timeout: 120_000, ...(options.input === undefined ? {} : { input: options.input }) });
        return { code: result.status, out: result.stdout, err: result.stderr };
      },
    };
  }

  /** Stops dockerd (after `beforeStop`, e.g. removing its networks), then berthd; removes everything. */
  async close(beforeStop?: () => Promise<void>): Promise<void> {
    try {
      await beforeStop?.();
    } finally {
      try {
        await this.dockerd.stop();
      } finally {
        await this.berth.close();
      }
    }
  }
}
