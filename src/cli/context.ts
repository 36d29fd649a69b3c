import type { Command } from 'commander';
import { DEFAULT_STATE_ROOT } from '../base/state-root.js';
import { errors } from '../base/errors.js';
import { ImageService } from '../images/image-service.js';

export interface GlobalOptions {
  root?: string;
  quiet?: boolean;
}

/** The state root a command works on: --root, then BERTH_ROOT, then /var/lib/berth. */
export function stateRootOf(command: Command): string {
  const options = command.optsWithGlobals<GlobalOptions>();
  return options.root ?? process.env.BERTH_ROOT ?? DEFAULT_STATE_ROOT;
}

/** Progress lines go to stderr, so stdout stays clean for data. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Runs `work` with the image service of the command's state root, in this process. (The engine
 * daemon, once running, serves the same code over its API.)
 */
export async function withImages<T>(command: Command, work: (images: ImageService) => Promise<T>): Promise<T> {
  const service = await ImageService.open(stateRootOf(command), { onProgress: progress });
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}

/** Prints JSON, two-space indented, as every `--format json` does. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The `--format` option shared by listing commands. */
export type OutputFormat = 'table' | 'json';

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'table') return 'table';
  if (value === 'json') return 'json';
  throw errors.invalidArgument('unknown-format', `unknown --format ${value} (table or json)`);
}
