import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import type { ProcessRunner } from '../base/process-runner.js';
import { joinEntryPath } from './layer-path.js';
import { parseXattrDump, type XattrMap } from './xattr-dump.js';
import { paxHeaderEntry } from './pax-header-entry.js';
import { paxRecordsForXattrs } from './pax-xattrs.js';

export interface DiffDirectoryOptions {
  /** Runs the one `getfattr -R` that reads every xattr (opaque markers included) of the tree. */
  runner: ProcessRunner;
  /**
   * Only this entry of the directory (a name in it, no slash) and, when it is a directory,
   * everything below it: the tar of one path, its entries named `<only>`, `<only>/…`.
   */
  only?: string;
  /** With `only`: the name that entry gets in the tar (what is below it follows). */
  as?: string;
  /**
   * The ids of a user namespace (`--userns auto`): host ids uid.. / gid.. (`size` of each) are
   * written as 0..size-1, others as 65534 (nobody), which is what the container saw.
   */
  idMap?: { uid: number; gid: number; size: number };
}

/** The kernel's overflow id: what a user namespace shows for an unmapped id. */
const OVERFLOW_ID = 65534;

const EMPTY = Buffer.alloc(0);

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;
/** PAX records to write before an entry, values as raw bytes. */
type RawPax = [string, Buffer][];

/**
 * An uncompressed OCI layer tar of an overlayfs upper directory, in a deterministic order (depth
 * first, names sorted, a directory before its children): 0/0 character devices become `.wh.<name>`
 * entries, an opaque directory (trusted.overlay.opaque=y) is followed by `<dir>/.wh..wh..opq`,
 * everything else is written as it is (mode, uid/gid, mtime, symlinks, devices, fifos; a second
 * path to an inode becomes a hard link entry; xattrs other than trusted.overlay.* as SCHILY.xattr.*
 * records holding the exact value bytes, binary ones such as security.capability included).
 * Sockets are skipped. `upper` must not change meanwhile (unmount the overlay first). I/O errors
 * are emitted as errors of the returned stream.
 */
export function diffDirectory(upper: string, options: DiffDirectoryOptions): Readable {
  const pack = tarPack();
  const root = resolve(upper);
  writeTree(root, options, pack).then(
    () => {
      pack.finalize();
    },
    (err: unknown) => {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  );
  return Readable.from(pack, { objectMode: false });
}

async function writeTree(root: string, options: DiffDirectoryOptions, pack: Pack): Promise<void> {
  const { runner, only, as, idMap } = options;
  const top = only === undefined ? root : join(root, only);
  const { stdout } = await runner.run('getfattr', ['-R', '-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', top]);
  const xattrs = new Map<string, XattrMap>();
  for (const [path, map] of parseXattrDump(stdout)) {
    if (path === root) xattrs.set('', map);
    else if (path.startsWith(`${root}/`)) xattrs.set(path.slice(root.length + 1), map);
  }
  const rename = only !== undefined && as !== undefined && as !== only
    ? (path: string): string => (path === only ? as : path.startsWith(`${only}/`) ? `${as}${path.slice(only.length)}` : path)
    : (path: string): string => path;
  const shift = (id: number, base: number, size: number): number => (id >= base && id < base + size ? id - base : OVERFLOW_ID);
  const ids = idMap === undefined
    ? (stat: Stats): { uid: number; gid: number } => ({ uid: stat.uid, gid: stat.gid })
    : (stat: Stats): { uid: number; gid: number } => ({ uid: shift(stat.uid, idMap.uid, idMap.size), gid: shift(stat.gid, idMap.gid, idMap.size) });
  const walker = new TreeWalker(root, pack, xattrs, rename, ids);
  await walker.walk('', only);
}

class TreeWalker {
  private readonly inodes = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly pack: Pack,
    private readonly xattrs: Map<string, XattrMap>,
    /** The tar name of a path of the tree. */
    private readonly nameOf: (path: string) => string,
    /** The owner written for an entry. */
    private readonly ownerOf: (stat: Stats) => { uid: number; gid: number },
  ) {}

  async walk(dir: string, only?: string): Promise<void> {
    const names = only === undefined ? (await readdir(join(this.root, dir))).sort() : [only];
    for (const name of names) {
      const path = joinEntryPath(dir, name);
      const stat = await lstat(join(this.root, path));
      await this.writeEntry(dir, name, path, stat);
      if (stat.isDirectory()) await this.walk(path);
    }
  }

  private async writeEntry(dir: string, name: string, path: string, stat: Stats): Promise<void> {
    const base = { ...this.ownerOf(stat), mtime: stat.mtime, mode: stat.mode & 0o7777 };
    const pax = this.paxFor(path);
    if (stat.isCharacterDevice() && stat.rdev === 0) {
      await this.add({ ...base, name: this.nameOf(joinEntryPath(dir, `.wh.${name}`)), type: 'file', mode: 0o600, size: 0 });
    } else if (stat.isDirectory()) {
      await this.add({ ...base, name: `${this.nameOf(path)}/`, type: 'directory' }, pax);
      if (this.xattrs.get(path)?.get('trusted.overlay.opaque')?.toString() === 'y') {
        await this.add({ ...base, name: `${this.nameOf(path)}/.wh..wh..opq`, type: 'file', mode: base.mode & 0o777, size: 0 });
      }
    } else if (stat.isFile()) {
      const inode = `${stat.dev}:${stat.ino}`;
      const first = stat.nlink > 1 ? this.inodes.get(inode) : undefined;
      if (first !== undefined) {
        await this.add({ ...base, name: this.nameOf(path), type: 'link', linkname: this.nameOf(first), size: 0 });
        return;
      }
      if (stat.nlink > 1) this.inodes.set(inode, path);
      const header = this.withPax({ ...base, name: this.nameOf(path), type: 'file', size: stat.size }, pax);
      await pipeline(createReadStream(join(this.root, path)), this.pack.entry(header));
    } else if (stat.isSymbolicLink()) {
      const target = await readlink(join(this.root, path));
      await this.add({ ...base, name: this.nameOf(path), type: 'symlink', linkname: target }, pax);
    } else if (stat.isFIFO() || stat.isCharacterDevice() || stat.isBlockDevice()) {
      const type = stat.isFIFO() ? 'fifo' : stat.isBlockDevice() ? 'block-device' : 'character-device';
      await this.add({ ...base, name: this.nameOf(path), type, devmajor: major(stat.rdev), devminor: minor(stat.rdev) }, pax);
    }
  }

  private paxFor(path: string): RawPax | undefined {
    const map = this.xattrs.get(path);
    if (map === undefined) return undefined;
    const pax = paxRecordsForXattrs([...map].filter(([name]) => !name.startsWith('trusted.overlay.')));
    return pax.length > 0 ? pax : undefined;
  }

  /**
   * Writes the PAX header entry of `header` (when there are records) and returns the header to
   * write after it. tar-stream's pack takes PAX values as strings only (a Buffer would be decoded as
   * UTF-8 and lose its bytes), so the 'x' entry is made by paxHeaderEntry and pushed into the pack
   * here, between two entries: every earlier entry has been written completely (add and the file
   * pipeline are awaited), and the next one is not begun. Records are `path`, `linkpath`, then the
   * xattrs, and the entry's own ustar names become `PaxHeader`, as tar-stream lays them out.
   */
  private withPax(header: EntryHeader, pax: RawPax | undefined): EntryHeader {
    if (pax === undefined) return header;
    const linkname = header.linkname === undefined || header.linkname === '' ? undefined : 'PaxHeader';
    const records: [string, Buffer | string][] = [['path', header.name]];
    if (linkname !== undefined) records.push(['linkpath', header.linkname ?? '']);
    // tar-stream's pack turns a zero mode into 0755 / 0644 before it encodes the PAX header.
    const mode = header.mode === undefined || header.mode === 0 ? (header.type === 'directory' ? 0o755 : 0o644) : header.mode;
    const entry: EntryHeader = { ...header, name: 'PaxHeader', mode };
    if (linkname === undefined) delete entry.linkname;
    else entry.linkname = linkname;
    this.pack.push(paxHeaderEntry({ ...entry, mode, uid: entry.uid ?? 0, gid: entry.gid ?? 0, mtime: entry.mtime ?? new Date(0) }, [...records, ...pax]));
    return entry;
  }

  private add(header: EntryHeader, pax?: RawPax): Promise<void> {
    const entry = this.withPax(header, pax);
    return new Promise((resolvePromise, reject) => {
      this.pack.entry(entry, EMPTY, (err) => {
        if (err) reject(err);
        else resolvePromise();
      });
    });
  }
}

/** Linux's major(3) for a dev_t held in a JS number. */
function major(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

/** Linux's minor(3) for a dev_t held in a JS number. */
function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & ~0xff & 0xfffff);
}
