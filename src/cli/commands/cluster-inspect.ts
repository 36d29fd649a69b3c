/**
 * `node inspect` and `service inspect`: the objects found, as JSON (the default and
 * `--format json`), `--format` templates (`{{.Spec.Name}}`) or `--pretty` blocks; then an error
 * line per reference not found, as docker prints them (the exit code is the first failure's).
 */
import { BerthError, errors } from '../../base/errors.js';
import { printJson, setExitStatus } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { renderFieldTemplate } from '../field-template.js';

export interface ClusterInspectFlags {
  pretty?: boolean;
  format?: string;
}

/** Looks up each of `refs` with `fetch` and prints what was found as `flags` ask. */
export async function inspectObjects<T>(refs: readonly string[], flags: ClusterInspectFlags, fetch: (ref: string) => Promise<T>, pretty: (item: T) => string): Promise<void> {
  const format = flags.format;
  if (flags.pretty === true && format !== undefined) throw errors.invalidArgument('invalid-flag', '--pretty and --format cannot be combined');
  if (format !== undefined && format !== 'json') renderFieldTemplate(format, {});
  const found: T[] = [];
  const failures: BerthError[] = [];
  for (const ref of refs) {
    try {
      found.push(await fetch(ref));
    } catch (err) {
      if (!(err instanceof BerthError) || err.kind === 'unavailable') throw err;
      failures.push(err);
    }
  }
  if (flags.pretty === true) process.stdout.write(found.map((item) => `${pretty(item)}\n`).join('\n'));
  else if (format === undefined || format === 'json') printJson(found);
  else process.stdout.write(found.map((item) => `${renderFieldTemplate(format, item)}\n`).join(''));
  for (const failure of failures) process.stderr.write(`Error: ${failure.message}\n`);
  const first = failures[0];
  if (first !== undefined) setExitStatus(EXIT_CODES[first.kind]);
}
