import { DEFAULT_STATE_ROOT } from '../base/state-root.js';
import { BerthError, errors } from '../base/errors.js';
import { DEFAULT_HOST } from '../client/api-host.js';
import type { BerthClient } from '../client/berth-client.js';
import type { BearerToken } from '../client/bearer-token.js';
import { EXIT_CODES } from './exit-codes.js';
import type { GlobalOptions } from './args/command-spec.js';

export type { GlobalOptions };

/** The state root a command works on: --root, then BERTH_ROOT, then /var/lib/berth. */
export function stateRootOf(globals: GlobalOptions): string {
  return globals.root ?? process.env.BERTH_ROOT ?? DEFAULT_STATE_ROOT;
}

/**
 * Whether image commands run in this process on a state root: only when `--root` or BERTH_ROOT
 * names one explicitly. Otherwise they go through berthd's API, as container commands always do.
 */
export function runsInProcess(globals: GlobalOptions): boolean {
  return globals.root !== undefined || (process.env.BERTH_ROOT ?? '') !== '';
}

/** berthd's address: --host, then BERTH_HOST, then unix:///run/berth/berth.sock. */
export function hostOf(globals: GlobalOptions): string {
  const host = globals.host ?? process.env.BERTH_HOST;
  return host === undefined || host === '' ? DEFAULT_HOST : host;
}

/**
 * The bearer token to send berthd: --token, then BERTH_TOKEN (empty: none, as an unset variable),
 * with where it came from. An empty --token is kept, so that the client refuses it rather than
 * send nothing and act as whoever the socket takes the caller for.
 */
export function tokenOf(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): BearerToken | undefined {
  if (globals.token !== undefined) return { value: globals.token, from: '--token' };
  const value = env.BERTH_TOKEN;
  return value === undefined || value === '' ? undefined : { value, from: 'BERTH_TOKEN' };
}

/** Runs `work` with a client of the command's berthd (the client module is loaded here, on first use). */
export async function withClient<T>(globals: GlobalOptions, work: (client: BerthClient) => Promise<T>): Promise<T> {
  const { BerthClient: Client } = await import('../client/berth-client.js');
  const token = tokenOf(globals);
  return work(new Client(hostOf(globals), token === undefined ? {} : { token }));
}

/** Progress lines go to stderr, so stdout stays clean for data. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints JSON, two-space indented, as every `--format json` does. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The `--format` option shared by listing commands. */
export type OutputFormat = 'table' | 'json';

/** `--format` value → table or json; anything else throws invalid-argument (`unknown-format`). */
export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'table') return 'table';
  if (value === 'json') return 'json';
  throw errors.invalidArgument('unknown-format', `unknown --format ${value} (table or json)`);
}

let exitStatus = 0;

/** Sets the exit code of a command that succeeded as a CLI call (`run`: the container's code). */
export function setExitStatus(code: number): void {
  exitStatus = code;
}

/** The exit code set by the command that ran (0 if none), reset for the next call. */
export function takeExitStatus(): number {
  const code = exitStatus;
  exitStatus = 0;
  return code;
}

/**
 * Applies `work` to each target in order, as `docker stop a b c` does: a failure is printed and
 * the others still run; the exit code is then that of the first failure's kind.
 */
export async function forEachTarget(targets: string[], work: (target: string) => Promise<void>): Promise<void> {
  let first: number | undefined;
  for (const target of targets) {
    try {
      await work(target);
    } catch (err) {
      if (!(err instanceof BerthError)) throw err;
      process.stderr.write(`Error: ${err.message}\n`);
      first ??= EXIT_CODES[err.kind];
      if (err.kind === 'unavailable') break;
    }
  }
  if (first !== undefined) setExitStatus(first);
}
