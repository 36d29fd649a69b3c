import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack as tarPack, type Header } from 'tar-stream';
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { digestOf, type Digest } from '../../src/base/digest.js';
import { paxHeaderEntry } from '../../src/snapshots/pax-header-entry.js';
import { currentMountPointsBelow } from '../../src/mount/mountinfo.js';

export const runner = new ChildProcessRunner();

/**
 * One entry of a test tarball; `pax` holds PAX records such as `SCHILY.xattr.user.k` as text
 * (tar-stream encodes them); `rawPax` holds records whose values are written as the given bytes
 * (as GNU tar writes binary xattrs), in an 'x' entry of their own, instead of `pax`.
 */
export type TarEntrySpec = Partial<Header> & {
  name: string;
  content?: string | Buffer;
  pax?: Record<string, string>;
  rawPax?: Record<string, Buffer>;
};

/** An uncompressed tar of `entries`, built with tar-stream (defaults: regular file, 0644, root, mtime 2020). */
export async function buildTar(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  const add = (header: Partial<Header> & { name: string }, body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      pack.entry(header, body, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  for (const { content, rawPax, ...spec } of entries) {
    const body = typeof content === 'string' ? Buffer.from(content) : (content ?? Buffer.alloc(0));
    const header = { type: 'file' as const, mode: spec.type === 'directory' ? 0o755 : 0o644, mtime: new Date('2020-01-02T03:04:05Z'), uid: 0, gid: 0, ...spec };
    // Pushed between two whole entries, as the layer differ does (tar-stream writes no 'x' bodies).
    if (rawPax !== undefined) pack.push(paxHeaderEntry({ mode: 0o644, uid: 0, gid: 0, mtime: header.mtime }, Object.entries(rawPax)));
    await add(header, body);
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

export function sha256(data: Buffer): Digest {
  return digestOf(data);
}

/** The reason to skip integration tests here, or undefined when they can run. */
export function notRoot(): string | undefined {
  return process.getuid?.() === 0 ? undefined : 'needs root (mounts, mknod, chown, trusted.* xattrs): run as root';
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `berth-snapshots-${prefix}-`));
}

/** Unmounts everything mounted at or under `dir` (deepest first), then removes it. Tolerates leftovers. */
export async function cleanupDir(dir: string): Promise<void> {
  const mounts = await currentMountPointsBelow(dir);
  for (const point of mounts) await runner.run('umount', ['-l', point]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** `getfattr -d -m -` of one path (not following a symlink) as name → value text. */
export async function xattrsOf(path: string): Promise<Map<string, string>> {
  const { stdout } = await runner.run('getfattr', ['-h', '-d', '-m', '-', '-e', 'text', '--absolute-names', path]);
  const map = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq <= 0) continue;
    map.set(line.slice(0, eq), line.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return map;
}

/** `getfattr -d -m - -e hex` of one path (not following a symlink) as name → value bytes. */
export async function hexXattrsOf(path: string): Promise<Map<string, Buffer>> {
  const { stdout } = await runner.run('getfattr', ['-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', path]);
  const map = new Map<string, Buffer>();
  for (const line of stdout.split('\n')) {
    const match = /^([^#=][^=]*)=0x([0-9a-f]*)$/.exec(line);
    if (match !== null) map.set(match[1] ?? '', Buffer.from(match[2] ?? '', 'hex'));
  }
  return map;
}
