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

/** Runs the berth CLI on a state root, as a user would, and collects its output. */
export function berth(root: string, args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BERTH_BIN, '--root', root, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/** Like `berth` but throws with stderr when the command fails. */
export async function berthOk(root: string, args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}): Promise<string> {
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
  Comment: string;
  Config: { Cmd?: string[]; Env?: string[] };
  GraphDriver: { Data: { LowerDir: string; UpperDir: string } };
}
