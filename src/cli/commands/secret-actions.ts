/** The `secret` and `config` verbs: flags → the file object client → Docker's output. */
import { readFile } from 'node:fs/promises';
import type { GlobalOptions } from '../args/command-spec.js';
import { BerthError } from '../../base/errors.js';
import type { FileObjectKind } from '../../client/file-object-client.js';
import { forEachTarget, outputFormat, printJson, setExitStatus, withClient } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { relativeTime, renderTable } from '../format.js';
import { parseFilters } from './container-list.js';
import { keyValues } from './create-config.js';

export interface FileObjectCreateFlags { label: string[] }
export interface FileObjectListFlags { quiet?: boolean; filter: string[]; format?: string }

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function createAction(globals: GlobalOptions, kind: FileObjectKind, name: string, file: string, flags: FileObjectCreateFlags): Promise<void> {
  const data = file === '-' ? await readStdin() : await readFile(file);
  await withClient(globals, async (client) => {
    const id = await client.fileObjects.create(kind, { name, labels: keyValues(flags.label, '--label'), data });
    process.stdout.write(`${id}\n`);
  });
}

export async function listAction(globals: GlobalOptions, kind: FileObjectKind, flags: FileObjectListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  await withClient(globals, async (client) => {
    const objects = kind === 'secret' ? await client.fileObjects.list('secret', parseFilters(flags.filter)) : await client.fileObjects.list('config', parseFilters(flags.filter));
    if (format === 'json') { printJson(objects); return; }
    if (flags.quiet === true) { process.stdout.write(objects.map((o) => `${o.ID}\n`).join('')); return; }
    const now = new Date();
    const rows = objects.map((o) => [o.ID, o.Spec.Name, relativeTime(new Date(o.CreatedAt), now), relativeTime(new Date(o.UpdatedAt), now)]);
    process.stdout.write(`${renderTable(['ID', 'NAME', 'CREATED', 'UPDATED'], rows)}\n`);
  });
}

export async function inspectAction(globals: GlobalOptions, kind: FileObjectKind, refs: string[]): Promise<void> {
  await withClient(globals, async (client) => {
    const found: unknown[] = [];
    const failures: BerthError[] = [];
    for (const ref of refs) {
      try {
        found.push(kind === 'secret' ? await client.fileObjects.inspect('secret', ref) : await client.fileObjects.inspect('config', ref));
      } catch (err) {
        if (!(err instanceof BerthError) || err.kind === 'unavailable') throw err;
        failures.push(err);
      }
    }
    printJson(found);
    for (const failure of failures) process.stderr.write(`Error: ${failure.message}\n`);
    const first = failures[0];
    if (first !== undefined) setExitStatus(EXIT_CODES[first.kind]);
  });
}

export async function removeAction(globals: GlobalOptions, kind: FileObjectKind, refs: string[]): Promise<void> {
  await withClient(globals, (client) => forEachTarget(refs, async (ref) => {
    await client.fileObjects.remove(kind, ref);
    process.stdout.write(`${ref}\n`);
  }));
}

/** `berth cluster rotate-key`. */
export async function rotateKeyAction(globals: GlobalOptions): Promise<void> {
  await withClient(globals, async (client) => {
    const rotation = await client.fileObjects.rotateDataKey();
    process.stdout.write(`data key ${rotation.KeyID}: ${rotation.Resealed} secret${rotation.Resealed === 1 ? '' : 's'} sealed with it\n`);
  });
}
