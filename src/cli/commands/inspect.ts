/** `inspect` (containers, then images) and `container inspect`: Docker's JSON, or `-f` fields. */
import type { GlobalOptions } from '../args/command-spec.js';
import { BerthError, errors, isBerthError } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import { printJson, setExitStatus, withClient } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { renderFieldTemplate } from '../field-template.js';

export interface InspectFlags {
  format?: string;
  type?: string;
}

async function inspectOne(client: BerthClient, name: string, type: string | undefined): Promise<unknown> {
  if (type !== 'image') {
    try {
      return await client.containers.inspect(name);
    } catch (err) {
      if (type === 'container' || !isBerthError(err, 'not-found')) throw err;
    }
  }
  try {
    return await client.images.inspect(name);
  } catch (err) {
    if (type === undefined && isBerthError(err, 'not-found')) throw errors.notFound('no-such-object', `No such object: ${name}`, { cause: err });
    throw err;
  }
}

/** Prints the objects found (a JSON array, or one rendered template per object); then errors for the rest. */
export async function inspectAction(globals: GlobalOptions, names: string[], flags: InspectFlags): Promise<void> {
  if (flags.type !== undefined && flags.type !== 'container' && flags.type !== 'image') {
    throw errors.invalidArgument('invalid-type', `--type ${flags.type}: want container or image`);
  }
  if (flags.format !== undefined && flags.format !== 'json') renderFieldTemplate(flags.format, {}); // refuse a bad template before any call
  await withClient(globals, async (client) => {
    const found: unknown[] = [];
    const failures: BerthError[] = [];
    for (const name of names) {
      try {
        found.push(await inspectOne(client, name, flags.type));
      } catch (err) {
        if (!(err instanceof BerthError) || err.kind === 'unavailable') throw err;
        failures.push(err);
      }
    }
    const template = flags.format;
    if (template === undefined || template === 'json') printJson(found);
    else process.stdout.write(found.map((item) => `${renderFieldTemplate(template, item)}\n`).join(''));
    for (const failure of failures) process.stderr.write(`Error: ${failure.message}\n`);
    const first = failures[0];
    if (first !== undefined) setExitStatus(EXIT_CODES[first.kind]);
  });
}
