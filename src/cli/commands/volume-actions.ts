/** The `volume` verbs: flags → the volume client → Docker's output. */
import type { GlobalOptions } from '../args/command-spec.js';
import { BerthError } from '../../base/errors.js';
import { forEachTarget, outputFormat, printJson, setExitStatus, withClient } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { renderFieldTemplate } from '../field-template.js';
import { humanSize, renderTable } from '../format.js';
import { parseFilters } from './container-list.js';
import { keyValues } from './create-config.js';

export interface VolumeCreateFlags { driver?: string; opt: string[]; label: string[] }
export interface VolumeListFlags { quiet?: boolean; filter: string[]; format?: string }
export interface VolumePruneFlags { all?: boolean; filter: string[] }

export async function createAction(globals: GlobalOptions, name: string | undefined, flags: VolumeCreateFlags): Promise<void> {
  const body = {
    ...(name === undefined ? {} : { Name: name }),
    ...(flags.driver === undefined ? {} : { Driver: flags.driver }),
    DriverOpts: keyValues(flags.opt, '--opt', true),
    Labels: keyValues(flags.label, '--label'),
  };
  await withClient(globals, async (client) => {
    process.stdout.write(`${(await client.volumes.create(body)).Name}\n`);
  });
}

export async function listAction(globals: GlobalOptions, flags: VolumeListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  await withClient(globals, async (client) => {
    const volumes = await client.volumes.list(parseFilters(flags.filter));
    if (format === 'json') printJson(volumes);
    else if (flags.quiet === true) process.stdout.write(volumes.map((v) => `${v.Name}\n`).join(''));
    else process.stdout.write(`${renderTable(['DRIVER', 'VOLUME NAME'], volumes.map((v) => [v.Driver, v.Name]))}\n`);
  });
}

export async function inspectAction(globals: GlobalOptions, names: string[], format: string | undefined): Promise<void> {
  if (format !== undefined && format !== 'json') renderFieldTemplate(format, {});
  await withClient(globals, async (client) => {
    const found: unknown[] = [];
    const failures: BerthError[] = [];
    for (const name of names) {
      try {
        found.push(await client.volumes.inspect(name));
      } catch (err) {
        if (!(err instanceof BerthError) || err.kind === 'unavailable') throw err;
        failures.push(err);
      }
    }
    if (format === undefined || format === 'json') printJson(found);
    else process.stdout.write(found.map((item) => `${renderFieldTemplate(format, item)}\n`).join(''));
    for (const failure of failures) process.stderr.write(`Error: ${failure.message}\n`);
    const first = failures[0];
    if (first !== undefined) setExitStatus(EXIT_CODES[first.kind]);
  });
}

export async function removeAction(globals: GlobalOptions, names: string[], force: boolean): Promise<void> {
  await withClient(globals, (client) => forEachTarget(names, async (name) => {
    await client.volumes.remove(name, force);
    process.stdout.write(`${name}\n`);
  }));
}

export async function pruneAction(globals: GlobalOptions, flags: VolumePruneFlags): Promise<void> {
  const filters = parseFilters(flags.filter);
  if (flags.all === true) filters.all = ['true'];
  await withClient(globals, async (client) => {
    const { VolumesDeleted, SpaceReclaimed } = await client.volumes.prune(filters);
    const deleted = VolumesDeleted ?? [];
    process.stdout.write(`${deleted.length > 0 ? `Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}\n` : ''}Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
  });
}
