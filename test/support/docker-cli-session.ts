// The docker CLI (Debian's docker.io) against a berthd of the test's own: a temp work dir with a
// state root holding the bootstrapped busybox image, berthd on its own socket and cgroup parent,
// the CLI with a private config dir. `close` removes every container left, stops berthd and
// sweeps what a container left on the host, even after a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleBridges, sweepLeftovers, testCgroupName } from '../integration/runtime/runtime-fixtures.js';
import { berthOk, needsRoot } from './berth-cli.js';
import { BerthdProcess } from './berthd-process.js';

export const DOCKER_CLI = '/usr/bin/docker';

/** Why docker CLI tests cannot run here, or false. */
export function dockerCliSkip(): string | false {
  return needsRoot() || (!existsSync(DOCKER_CLI) && 'no docker CLI (apt-get install docker.io)');
}

export interface DockerResult {
  code: number | null;
  out: string;
  err: string;
}

export class DockerCliSession {
  readonly cgroupParent = `/${testCgroupName()}`;
  daemon!: BerthdProcess;

  private constructor(readonly work: string, readonly root: string, private readonly daemonArgs: readonly string[]) {}

  /** A work dir named after `prefix`, busybox bootstrapped, berthd started (with `daemonArgs`). */
  static async start(prefix: string, daemonArgs: readonly string[] = []): Promise<DockerCliSession> {
    await sweepLeftovers();
    const work = await mkdtemp(join(tmpdir(), prefix));
    const session = new DockerCliSession(work, join(work, 'root'), daemonArgs);
    try {
      await berthOk(session.root, ['image', 'bootstrap', 'busybox']);
      await session.startDaemon();
    } catch (err) {
      await rm(work, { recursive: true, force: true });
      throw err;
    }
    return session;
  }

  /** Starts berthd on the session's root (again, after a kill). */
  async startDaemon(): Promise<void> {
    this.daemon = await BerthdProcess.start(this.root, join(this.work, 'run', 'berth.sock'), ['--cgroup-parent', this.cgroupParent, ...this.daemonArgs]);
  }

  env(): NodeJS.ProcessEnv {
    // DOCKER_BUILDKIT=0: `docker build` uses the classic builder, which speaks POST /build.
    return { ...process.env, DOCKER_HOST: `unix://${this.daemon.socketPath}`, DOCKER_CONFIG: join(this.work, 'docker-config'), DOCKER_BUILDKIT: '0' };
  }

  /** Runs the docker CLI (bounded at 120 s). */
  docker(args: readonly string[], input?: string): DockerResult {
    const result = spawnSync(DOCKER_CLI, args, { env: this.env(), encoding: 'utf8', timeout: 120_000, ...(input === undefined ? {} : { input }) });
    return { code: result.status, out: result.stdout, err: result.stderr };
  }

  /** Runs the docker CLI, asserts it succeeded, returns its stdout. */
  ok(...args: string[]): string {
    const r = this.docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.err}`);
    return r.out;
  }

  /** Removes the containers (and with `volumes`, their anonymous volumes), runs `extra`, stops berthd, removes everything. */
  async close(options: { volumes?: boolean; extra?: () => void } = {}): Promise<void> {
    try {
      const ids = this.docker(['ps', '-aq']).out.split('\n').filter(Boolean);
      if (ids.length > 0) this.docker(['rm', '-f', ...(options.volumes === true ? ['-v'] : []), ...ids]);
      options.extra?.();
    } finally {
      await (this.daemon as BerthdProcess | undefined)?.stop();
      await sweepLeftovers();
      await rm(this.work, { recursive: true, force: true });
      // The default bridge network cannot be removed through the API: its bridge goes with the root.
      await removeStaleBridges();
    }
  }
}
