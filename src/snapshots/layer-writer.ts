import { closeSync, constants, fchmodSync, fchownSync, futimesSync, openSync, writeSync, writevSync } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, open, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Header } from 'tar-stream';
import { BerthError, errnoCode, errors, messageOf } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { baseNameOf, joinEntryPath, normalizeEntryPath, parentOf, unsafe } from './layer-path.js';
import { formatXattrDump, type XattrMap } from './xattr-dump.js';
import { xattrsFromPax } from './pax-xattrs.js';
import { rawPaxRecords } from './raw-pax-extract.js';
import { malformedTarField } from './tar-header-fields.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** Files up to this size are gathered in memory and written with synchronous calls. */
const SMALL_FILE = 256 * 1024;
const CREATE_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** What tar-stream really hands over: every field but the name may be missing or null (unknown types). */
type RawHeader = { name: string } & { [K in Exclude<keyof Header, 'name'>]?: Header[K] | null };

/** The part of a tar-stream entry the writer uses (tar-stream's own streamx Readable). */
export interface LayerEntry extends AsyncIterable<unknown> {
  header: RawHeader;
  resume(): unknown;
  /** True once the entry's stream died (tar-stream destroys it with the tar's own error). */
  readonly destroyed?: boolean;
}

/**
 * Writes the entries of one layer tar, in order, into `root` (see unpackLayer for the contract).
 * Keeps a cache of the directories it has checked or made, so that the usual entry costs no extra
 * lstat; any replacement forgets the replaced path and everything under it.
 */
export class LayerWriter {
  size = 0;
  private readonly dirs = new Set<string>(['']);
  private readonly setgidDirs = new Set<string>();
  private readonly dirTimes = new Map<string, Date>();
  private readonly xattrs = new Map<string, XattrMap>();
  private readonly uid = process.getuid?.() ?? 0;
  private readonly gid = process.getgid?.() ?? 0;

  constructor(
    private readonly root: string,
    private readonly runner: ProcessRunner,
    /** Ids of a user namespace: a tar id k < size is written as host id uid+k / gid+k, others as +65534. */
    private readonly idMap?: { uid: number; gid: number; size: number },
  ) {}

  async write(entry: LayerEntry): Promise<void> {
    const header = entry.header;
    try {
      await this.writeEntry(entry, header);
    } catch (err) {
      entry.resume();
      // The entry's stream dies when the tar itself fails (a truncated tar: "Unexpected end of
      // data"): let the caller report that failure.
      if (err instanceof BerthError || errnoCode(err) === 'STREAM_DESTROYED' || entry.destroyed === true) throw err;
      if (errnoCode(err) === 'ENAMETOOLONG') {
        throw errors.invalidArgument('layer-entry-name-too-long', `layer entry "${header.name}" has a path longer than the filesystem takes`, { cause: err, details: { entry: header.name } });
      }
      throw errors.internal('layer-write-failed', `cannot write layer entry "${header.name}": ${messageOf(err)}`, {
        cause: err,
        details: { entry: header.name, code: errnoCode(err) },
      });
    }
  }

  /** Applies what must come after every entry: xattrs (one setfattr), then directory mtimes. */
  async finish(): Promise<void> {
    if (this.xattrs.size > 0) {
      const dump = formatXattrDump([...this.xattrs].map(([path, map]) => [path === '' ? '.' : path, map] as const));
      await this.runner.run('setfattr', ['-h', '--restore=-'], { cwd: this.root, input: dump });
    }
    for (const [path, mtime] of this.dirTimes) await lutimes(this.abs(path), mtime, mtime);
  }

  private async writeEntry(entry: LayerEntry, header: RawHeader): Promise<void> {
    const name = header.name;
    const malformed = malformedTarField(header);
    if (malformed !== undefined) {
      throw errors.invalidArgument('malformed-layer', `layer entry "${name}" has a malformed ${malformed} field`, { details: { entry: name, field: malformed } });
    }
    const path = normalizeEntryPath(name);
    const base = baseNameOf(path);
    const parent = parentOf(path);
    const type: string = header.type ?? 'unknown';
    if (path !== '') await this.ensureParent(parent, name);
    if (base.startsWith(WHITEOUT_PREFIX)) {
      entry.resume();
      await this.whiteout(parent, base, name);
      return;
    }
    const mode = (header.mode ?? (type === 'directory' ? 0o755 : 0o644)) & 0o7777;
    const mtime = header.mtime ?? new Date(0);
    const owner = this.hostOwner(header.uid ?? 0, header.gid ?? 0);
    if (path === '' && type !== 'directory') throw unsafe(name, 'entry', 'names the layer root but is not a directory');
    switch (type) {
      case 'file':
      case 'contiguous-file':
        await this.writeFile(entry, path, mode, owner, mtime, header.size ?? 0);
        break;
      case 'directory':
        entry.resume();
        await this.writeDirectory(path, mode, owner, mtime);
        break;
      case 'symlink':
        entry.resume();
        // Linux has no symbolic link to the empty path.
        if (!header.linkname) throw errors.invalidArgument('malformed-layer', `layer entry "${name}" is a symbolic link with no target`, { details: { entry: name } });
        await this.replaceable(path, () => symlink(header.linkname ?? '', this.abs(path)));
        await this.chownIfNeeded(path, owner, parent, true);
        await lutimes(this.abs(path), mtime, mtime);
        break;
      case 'link':
        entry.resume();
        await this.writeHardLink(path, header.linkname ?? '', name);
        break;
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        entry.resume();
        const kind = type === 'fifo' ? ['p'] : [type === 'block-device' ? 'b' : 'c', String(header.devmajor ?? 0), String(header.devminor ?? 0)];
        await this.remove(path);
        await this.runner.run('mknod', [this.abs(path), ...kind]);
        await this.chownIfNeeded(path, owner, parent, false);
        await chmod(this.abs(path), mode);
        await lutimes(this.abs(path), mtime, mtime);
        break;
      }
      default:
        throw errors.invalidArgument('unsupported-layer-entry', `layer entry "${name}" has unsupported type ${type}`, {
          details: { entry: name, type },
        });
    }
    this.recordXattrs(path, header, type === 'symlink');
  }

  private async writeFile(entry: LayerEntry, path: string, mode: number, owner: Owner, mtime: Date, size: number): Promise<void> {
    if (size <= SMALL_FILE) {
      await this.writeSmallFile(entry, path, mode, owner, mtime);
      return;
    }
    const abs = this.abs(path);
    const handle = await this.replaceable(path, () => open(abs, CREATE_FILE, 0o600));
    try {
      for await (const value of entry) {
        const chunk = value as Buffer;
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
        this.size += chunk.length;
      }
      if (this.needsChown(path, owner)) await handle.chown(owner.uid, owner.gid);
      await handle.chmod(mode);
      await handle.utimes(mtime, mtime);
    } finally {
      await handle.close();
    }
  }

  /**
   * Small files (most of an image) are gathered (at most SMALL_FILE bytes) and written with
   * synchronous calls: five syscalls without five thread-pool round trips, about twice as fast.
   * The event loop still gets a turn between entries.
   */
  private async writeSmallFile(entry: LayerEntry, path: string, mode: number, owner: Owner, mtime: Date): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const value of entry) chunks.push(value as Buffer);
    const abs = this.abs(path);
    const fd = await this.replaceable(path, () => Promise.resolve(openSync(abs, CREATE_FILE, 0o600)));
    try {
      let written = 0;
      const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      while (written < total) {
        written += written === 0 ? writevSync(fd, chunks) : writeSync(fd, Buffer.concat(chunks).subarray(written));
      }
      this.size += total;
      if (this.needsChown(path, owner)) fchownSync(fd, owner.uid, owner.gid);
      fchmodSync(fd, mode);
      futimesSync(fd, mtime, mtime);
    } finally {
      closeSync(fd);
    }
  }

  private hostOwner(uid: number, gid: number): Owner {
    const map = this.idMap;
    if (map === undefined) return { uid, gid };
    const shift = (id: number, base: number): number => base + (id < map.size ? id : OVERFLOW_ID);
    return { uid: shift(uid, map.uid), gid: shift(gid, map.gid) };
  }

  private needsChown(path: string, owner: Owner): boolean {
    return owner.uid !== this.uid || owner.gid !== this.gid || this.setgidDirs.has(parentOf(path));
  }

  private async writeDirectory(path: string, mode: number, owner: Owner, mtime: Date): Promise<void> {
    const abs = this.abs(path);
    if (path !== '') {
      try {
        await mkdir(abs, 0o700);
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err;
        if (!(await lstat(abs)).isDirectory()) {
          await this.remove(path);
          await mkdir(abs, 0o700);
        }
      }
    }
    await lchown(abs, owner.uid, owner.gid);
    await chmod(abs, mode);
    this.dirs.add(path);
    if ((mode & 0o2000) !== 0) this.setgidDirs.add(path);
    else this.setgidDirs.delete(path);
    this.dirTimes.set(path, mtime);
  }

  private async writeHardLink(path: string, linkname: string, name: string): Promise<void> {
    // An absolute target names a path of the layer, as in Docker (`/etc/passwd` is `etc/passwd`).
    const targetPath = normalizeEntryPath(linkname, `hard link target of "${name}"`);
    if (targetPath === '') throw unsafe(name, 'entry', 'is a hard link to the layer root');
    const missing = (err: unknown): never => {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') {
        throw errors.invalidArgument('hard-link-target-missing', `layer entry "${name}" links to "${linkname}", which no earlier entry created`, { details: { entry: name } });
      }
      throw err;
    };
    await this.checkParent(parentOf(targetPath), name).catch(missing);
    const targetAbs = this.abs(targetPath);
    const stat = await lstat(targetAbs).catch(missing);
    if (stat.isDirectory()) throw unsafe(name, 'entry', `is a hard link to the directory "${linkname}"`);
    if (targetPath === path) return;
    await this.replaceable(path, () => link(targetAbs, this.abs(path)));
  }

  private async whiteout(parent: string, base: string, name: string): Promise<void> {
    if (base === OPAQUE_MARKER) {
      this.xattrFor(parent).set('trusted.overlay.opaque', Buffer.from('y'));
      return;
    }
    if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) return; // aufs metadata (.wh..wh.plnk ...)
    const victim = base.slice(WHITEOUT_PREFIX.length);
    if (victim === '' || victim === '.' || victim === '..') throw unsafe(name, 'whiteout', 'names no file');
    const path = joinEntryPath(parent, victim);
    await this.remove(path);
    await this.runner.run('mknod', [this.abs(path), 'c', '0', '0']);
  }

  /** Makes sure every component of `parent` is a real directory, creating missing ones (0755). */
  private async ensureParent(parent: string, name: string): Promise<void> {
    if (this.dirs.has(parent)) return;
    let current = '';
    for (const part of parent.split('/')) {
      current = joinEntryPath(current, part);
      if (this.dirs.has(current)) continue;
      const stat = await lstat(this.abs(current)).catch((err: unknown) => {
        if (errnoCode(err) === 'ENOENT') return null;
        throw err;
      });
      if (stat === null) {
        await mkdir(this.abs(current), 0o755);
      } else {
        this.checkDirectory(stat, current, name);
        if ((stat.mode & 0o2000) !== 0) this.setgidDirs.add(current);
      }
      this.dirs.add(current);
    }
  }

  /** Like ensureParent, but creates nothing (for hard-link targets). */
  private async checkParent(parent: string, name: string): Promise<void> {
    let current = '';
    for (const part of parent === '' ? [] : parent.split('/')) {
      current = joinEntryPath(current, part);
      if (this.dirs.has(current)) continue;
      this.checkDirectory(await lstat(this.abs(current)), current, name);
    }
  }

  private checkDirectory(stat: { isSymbolicLink(): boolean; isDirectory(): boolean }, path: string, name: string): void {
    if (stat.isSymbolicLink()) throw unsafe(name, 'entry', `goes through "${path}", which is a symbolic link`);
    if (!stat.isDirectory()) {
      throw errors.invalidArgument('layer-entry-parent-not-directory', `layer entry "${name}" is under "${path}", which is not a directory`, {
        details: { entry: name },
      });
    }
  }

  /** Runs `create`; if the path exists, removes it (and all under it) and runs `create` again. */
  private async replaceable<T>(path: string, create: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      await this.remove(path);
      return await create();
    }
  }

  private async remove(path: string): Promise<void> {
    await rm(this.abs(path), { recursive: true, force: true });
    const prefix = `${path}/`;
    const under = (key: string) => key === path || key.startsWith(prefix);
    for (const key of this.dirs) if (under(key)) this.dirs.delete(key);
    for (const key of this.setgidDirs) if (under(key)) this.setgidDirs.delete(key);
    for (const key of this.dirTimes.keys()) if (under(key)) this.dirTimes.delete(key);
    for (const key of this.xattrs.keys()) if (under(key)) this.xattrs.delete(key);
  }

  private async chownIfNeeded(path: string, owner: Owner, parent: string, symlinkEntry: boolean): Promise<void> {
    if (owner.uid === this.uid && owner.gid === this.gid && !this.setgidDirs.has(parent) && !symlinkEntry) return;
    await lchown(this.abs(path), owner.uid, owner.gid);
  }

  private recordXattrs(path: string, header: RawHeader, isSymlink: boolean): void {
    if (header.pax === undefined || header.pax === null) return;
    for (const [name, value] of xattrsFromPax(header.pax, () => rawPaxRecords(header))) {
      if (name.startsWith('trusted.overlay.') || (isSymlink && name.startsWith('user.'))) continue;
      this.xattrFor(path).set(name, value);
    }
  }

  private xattrFor(path: string): XattrMap {
    let map = this.xattrs.get(path);
    if (map === undefined) {
      map = new Map();
      this.xattrs.set(path, map);
    }
    return map;
  }

  private abs(path: string): string {
    return path === '' ? this.root : join(this.root, path);
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** What a user namespace shows for an id it does not map (nobody). */
const OVERFLOW_ID = 65534;
