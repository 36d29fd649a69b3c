/**
 * `cp`, `export` and `diff`: a container's files from the host. `cp` moves tars through the
 * archive routes: out of the container they are unpacked on the host with the same safe
 * unpacker as image layers (nothing lands outside the destination), into it they are packed
 * from the host path — both through the host-files port (berth-ports.ts) the composition root
 * gives the CLI.
 */
import { createWriteStream, type Stats } from 'node:fs';
import { mkdtemp, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GlobalOptions } from '../args/command-spec.js';
import { errnoCode, errors, isBerthError } from '../../base/errors.js';
import { isDirectoryMode } from '../../client/container-files-client.js';
import type { BerthClient } from '../../client/berth-client.js';
import { ports } from '../berth-ports.js';
import { withClient } from '../context.js';

export interface CopyFlags {
  followLink?: boolean;
  archive?: boolean;
}

/** `web:/etc/passwd` → container and path; a plain host path → undefined. */
export function splitContainerPath(arg: string): { container: string; path: string } | undefined {
  if (arg.startsWith('/') || arg.startsWith('.') || arg === '-') return undefined;
  const colon = arg.indexOf(':');
  if (colon <= 0) return undefined;
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) || '/' };
}

async function hostStat(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

async function copyOut(client: BerthClient, container: string, path: string, dest: string): Promise<void> {
  const { stat: source, tar } = await client.files.read(container, path);
  if (dest === '-') {
    await pipeline(tar, process.stdout);
    return;
  }
  const target = resolve(dest);
  const existing = await hostStat(target);
  if (existing?.isDirectory() === true) {
    await ports().hostFiles.unpack(tar, target);
    return;
  }
  if (existing !== undefined && isDirectoryMode(source.mode)) {
    tar.destroy();
    throw errors.invalidArgument('cannot-copy-directory-to-file', `cannot copy a directory to the file ${dest}`);
  }
  // A new name (or a file replaced): unpack next to it, then move the one entry into place.
  const staging = await mkdtemp(join(dirname(target), '.berth-cp-'));
  try {
    await ports().hostFiles.unpack(tar, staging);
    await rename(join(staging, source.name), target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function copyIn(client: BerthClient, source: string, container: string, path: string, flags: CopyFlags): Promise<void> {
  if (source === '-') {
    await client.files.write(container, path, process.stdin);
    return;
  }
  let hostPath = resolve(source);
  if (flags.followLink === true) hostPath = await realpath(hostPath);
  if ((await hostStat(hostPath)) === undefined) throw errors.notFound('host-path-not-found', `no such file or directory: ${source}`);
  // Into an existing directory under the source's name, or as a new name in the parent directory.
  let dir = path;
  let as = basename(hostPath);
  try {
    const target = await client.files.stat(container, path);
    if (!isDirectoryMode(target.mode)) {
      throw errors.invalidArgument('cannot-overwrite', `cannot copy to ${container}:${path}: it exists and is not a directory (copy into its directory instead)`);
    }
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err;
    dir = dirname(path) || '/';
    as = basename(path);
  }
  const tar: Readable = await ports().hostFiles.pack(dirname(hostPath), basename(hostPath), as);
  await client.files.write(container, dir, tar);
}

/** `cp SRC DEST`: exactly one side is `container:path`; `-` is a tar on stdin or stdout. */
export async function copyAction(globals: GlobalOptions, source: string, dest: string, flags: CopyFlags): Promise<void> {
  const from = splitContainerPath(source);
  const to = splitContainerPath(dest);
  if ((from === undefined) === (to === undefined)) {
    throw errors.invalidArgument('invalid-copy', 'cp: exactly one of SRC and DEST must be CONTAINER:PATH');
  }
  await withClient(globals, async (client) => {
    if (from !== undefined) await copyOut(client, from.container, from.path, dest);
    else if (to !== undefined) await copyIn(client, source, to.container, to.path, flags);
  });
}

/** `export [-o FILE] CONTAINER`: the root filesystem as a tar, to a file or to stdout (not a terminal). */
export async function exportAction(globals: GlobalOptions, target: string, flags: { output?: string }): Promise<void> {
  if (flags.output === undefined && process.stdout.isTTY) {
    throw errors.invalidArgument('tty-output', 'refusing to write a tar to a terminal: use -o FILE or redirect stdout');
  }
  await withClient(globals, async (client) => {
    const tar = await client.files.export(target);
    await pipeline(tar, flags.output === undefined ? process.stdout : createWriteStream(flags.output));
  });
}

const KIND_LETTER = ['C', 'A', 'D'];

/** `diff CONTAINER`: `C /etc`, `A /data`, `D /bin/vi`. */
export async function diffAction(globals: GlobalOptions, target: string): Promise<void> {
  await withClient(globals, async (client) => {
    const changes = await client.containers.changes(target);
    process.stdout.write(changes.map((c) => `${KIND_LETTER[c.Kind] ?? '?'} ${c.Path}\n`).join(''));
  });
}
