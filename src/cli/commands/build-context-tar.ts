/**
 * The build context as the tar the API takes: the directory's files minus what .dockerignore
 * excludes (the Dockerfile and .dockerignore always go, as the docker CLI sends them), plus a
 * Dockerfile from outside the context under a generated name.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import { errors } from '../../base/errors.js';
import { DockerIgnore } from '../../wire/dockerignore.js';

function addEntry(pack: Pack, header: Parameters<Pack['entry']>[0]): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (err) => { if (err) reject(err); else resolve(); });
  });
}

async function walk(pack: Pack, root: string, dir: string, ignore: DockerIgnore, keep: Set<string>): Promise<void> {
  for (const name of (await readdir(join(root, dir))).sort()) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const info = await lstat(join(root, path));
    const excluded = ignore.excludes(path) && !keep.has(path);
    if (excluded && !(info.isDirectory() && !ignore.canSkipDirectory(path))) continue;
    const base = { name: path, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid, mtime: info.mtime };
    if (info.isDirectory()) {
      if (!excluded) await addEntry(pack, { ...base, type: 'directory' });
      await walk(pack, root, path, ignore, keep);
    } else if (excluded) {
      continue;
    } else if (info.isSymbolicLink()) {
      await addEntry(pack, { ...base, type: 'symlink', linkname: await readlink(join(root, path)) });
    } else if (info.isFile()) {
      await pipeline(createReadStream(join(root, path)), pack.entry({ ...base, type: 'file', size: info.size }));
    }
  }
}

export async function packContext(dir: string, dockerfile: string, extra?: { name: string; content: Buffer }): Promise<Readable> {
  const notADirectory = (cause?: unknown) => errors.invalidArgument('bad-context', `unable to prepare context: path "${dir}" not found or not a directory`, cause === undefined ? {} : { cause });
  // Whatever stops the stat reads as "not found"; the cause goes with it (BERTH_DEBUG shows it).
  const info = await lstat(dir).catch((cause: unknown) => { throw notADirectory(cause); });
  if (!info.isDirectory()) throw notADirectory();
  const ignore = await DockerIgnore.read(dir);
  const pack = tarPack();
  const keep = new Set([dockerfile, '.dockerignore']);
  (async () => {
    await walk(pack, dir, '', ignore, keep);
    if (extra !== undefined) {
      await new Promise<void>((resolve, reject) => {
        pack.entry({ name: extra.name, mode: 0o644, size: extra.content.length }, extra.content, (err) => { if (err) reject(err); else resolve(); });
      });
    }
    pack.finalize();
  })().catch((err: unknown) => { pack.destroy(err instanceof Error ? err : new Error(String(err))); });
  return Readable.from(pack, { objectMode: false });
}
