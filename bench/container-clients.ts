// The clients the container-start benchmark drives: the docker CLI against a private dockerd, the
// same docker CLI against berthd, and the berth CLI against berthd (the podman client is in
// podman-engine.ts). Every command is bounded in time.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBerthError, messageOf } from '../src/base/errors.js';
import { ChildProcessRunner, type RunResult } from '../src/base/process-runner.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runner = new ChildProcessRunner();

/** Which daemon a client talks to. */
export type Engine = 'docker' | 'berth';
/** A daemon, or podman: no daemon, the podman CLI is the engine (container-start only). */
export type AnyEngine = Engine | 'podman';

/** One way of running `docker run`-style commands against one engine. */
export interface Client<E extends AnyEngine = Engine> {
  /** Column heading in the report. */
  readonly label: string;
  readonly engine: E;
  readonly command: string;
  /** Arguments before the subcommand (e.g. the berth CLI's `--host`). */
  readonly prefix: readonly string[];
  /** Flags added after `run` (the docker CLI gets `--pull never`: a missing image must never mean a pull). */
  readonly runFlags: readonly string[];
  /** Flags added after `rm -f` (podman gets `--time 0`: kill at once, as dockerd and berthd do, not stop with a 10 s grace). */
  readonly rmFlags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** The docker CLI (Debian's /usr/bin/docker unless DOCKER_CLI is set) with a private config dir. */
export function dockerClient(label: string, engine: Engine, socketPath: string, configDir: string): Client {
  const command = process.env.DOCKER_CLI ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socketPath}`, DOCKER_CONFIG: configDir };
  delete env.DOCKER_CONTEXT;
  return { label, engine, command, prefix: [], runFlags: ['--pull', 'never'], rmFlags: [], env };
}

/**
 * The berth CLI talking to berthd at `socketPath`: `berth --host unix://<socket> <command>` (and
 * BERTH_HOST set to the same URL). BERTH_BIN overrides the executable: a `.js` file runs under
 * this Node, anything else is executed directly. Default: the repo's bin/berth.js.
 */
export function berthClient(socketPath: string): Client {
  const bin = process.env.BERTH_BIN ?? join(REPO, 'bin', 'berth.js');
  const url = `unix://${socketPath}`;
  const script = bin.endsWith('.js');
  return {
    label: 'berth CLI → berthd',
    engine: 'berth',
    command: script ? process.execPath : bin,
    prefix: [...(script ? [bin] : []), '--host', url],
    runFlags: [],
    rmFlags: [],
    env: berthEnv(url),
  };
}

/**
 * The berth CLI's environment. NODE_EXTRA_CA_CERTS (set on some hosts, e.g. for a proxy) makes
 * every Node start parse a CA bundle, ~140 ms here, for a CLI that never opens TLS: it is left
 * out, as on a stock host; bench/README.md reports the figure with it too.
 */
function berthEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_HOST: url };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Runs `client <args>`; throws (with stderr) on a non-zero exit or after `timeoutMs`. */
export function invoke(client: Client<AnyEngine>, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return runner.run(client.command, [...client.prefix, ...args], { env: client.env, signal: AbortSignal.timeout(timeoutMs) });
}

/** `run <runFlags> <rest>` for this client. */
export function runArgs(client: Client<AnyEngine>, rest: readonly string[]): string[] {
  return ['run', ...client.runFlags, ...rest];
}

/** `rm -f <rmFlags> <ids>` for this client. */
export function rmArgs(client: Client<AnyEngine>, ids: readonly string[]): string[] {
  return ['rm', '-f', ...client.rmFlags, ...ids];
}

/** Wall time in milliseconds of one successful command, from spawn to exit. */
export async function timedInvoke(client: Client<AnyEngine>, args: readonly string[], timeoutMs?: number): Promise<number> {
  const start = performance.now();
  await invoke(client, args, timeoutMs);
  return performance.now() - start;
}

/**
 * Runs `work(0..count-1)` with at most `parallel` in flight; every outcome, in index order (never
 * rejects). Once `signal` is aborted no new work starts; the missing outcomes are rejections.
 */
export async function inPool<T>(count: number, parallel: number, work: (index: number) => Promise<T>, signal?: AbortSignal): Promise<PromiseSettledResult<T>[]> {
  const results = Array.from({ length: count }, (): PromiseSettledResult<T> => ({ status: 'rejected', reason: new Error('not started: stopping') }));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count && signal?.aborted !== true) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return results;
}

/** A failed command as one short line, reason first: `exit 1: <stderr, first lines> (<command>)`. */
export function failureOf(err: unknown): string {
  const short = (text: string): string => text.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
  if (isBerthError(err) && typeof err.details.stderr === 'string' && Array.isArray(err.details.args)) {
    const command = [err.details.command, ...(err.details.args as unknown[])].map(String).join(' ');
    return `exit ${String(err.details.code)}: ${short(err.details.stderr) || '(no stderr)'} (${command})`;
  }
  if (isBerthError(err, 'canceled')) return `timed out: ${messageOf(err)}`;
  return short(messageOf(err));
}
