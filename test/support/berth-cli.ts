import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The repo's `bin/berth.js`, found from the compiled test file (dist/test/support/). */
export const BERTH_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'berth.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: Buffer;
  env?: Record<string, string>;
  /** The CLI's working directory (default: this process's). */
  cwd?: string;
  /** Kill the CLI (SIGKILL) after this long; the result then has signal SIGKILL. Default 120 s. */
  timeoutMs?: number;
}

/** Runs the berth CLI with exactly `args` (plus `env` over this environment) and collects its output. */
export function runBerth(args: string[], options: CliOptions & { unsetEnv?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const unset = new Set(options.unsetEnv ?? []);
    const env = Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([name]) => !unset.has(name)));
    const child = spawn(process.execPath, [BERTH_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/** Runs the berth CLI on a state root (in-process mode), as a user would, and collects its output. */
export function berth(root: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runBerth(['--root', root, ...args], options);
}

/** Runs the berth CLI against the berthd at `socketPath` (`--host unix://…`; BERTH_ROOT/BERTH_HOST unset). */
export function berthAt(socketPath: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runBerth(['--host', `unix://${socketPath}`, ...args], { ...options, unsetEnv: ['BERTH_ROOT', 'BERTH_HOST'] });
}

/** Like `berth` but throws with stderr when the command fails. */
export async function berthOk(root: string, args: string[], options: CliOptions = {}): Promise<string> {
  const result = await berth(root, args, options);
  if (result.code !== 0) throw new Error(`berth ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr}`);
  return result.stdout;
}

/** Skips a root-only suite with a clear message. */
export function needsRoot(): string | false {
  return process.getuid?.() === 0 ? false : 'needs root (mounts, device nodes, ownership)';
}

/** `berth image inspect REF` parsed: the one image's Docker-shaped JSON. */
export async function inspectImage<T = InspectedImage>(root: string, ref: string): Promise<T> {
  const list = JSON.parse(await berthOk(root, ['image', 'inspect', ref])) as unknown[];
  if (list.length !== 1) throw new Error(`inspect ${ref}: expected one image, got ${list.length}`);
  return list[0] as T;
}

/** The fields of `image inspect` that tests read. */
export interface InspectedImage {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Comment: string;
  Config: { Cmd?: string[]; Env?: string[] };
  GraphDriver: { Data: { LowerDir: string; UpperDir: string } };
}
