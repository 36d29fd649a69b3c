/**
 * The file tree of a context tar, read while the tar streams in: each entry's type, mode, size,
 * link target and content digest, and the content of small files (the Dockerfile,
 * .dockerignore). A build plans (resolves COPY sources, hashes cache keys) on it without the
 * files being on disk; they are unpacked only when a step needs them. Entry names that climb out
 * of the root make the tar invalid, as the unpacker would.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Transform } from 'node:stream';
import { extract as tarExtract } from 'tar-stream';
import { errors } from '../../base/errors.js';
import { chrootWalk } from '../../mount/path-in-root.js';
import type { EntryFilter } from '../steps/copy-files.js';
import { malformedTarField } from '../../snapshots/tar-header-fields.js';

export interface TreeEntry {
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits (with setuid, setgid, sticky). */
  mode: number;
  size: number;
  linkname: string;
  /** Hex sha256 of a file's content. */
  digest: string;
  /** The bytes of a small file. */
  content?: Buffer;
}

const SMALL_FILE = 256 * 1024;
const ROOT: TreeEntry = { type: 'directory', mode: 0o755, size: 0, linkname: '', digest: '' };

export class ContextTree {
  private readonly entries = new Map<string, TreeEntry>([['', ROOT]]);
  private readonly children = new Map<string, Set<string>>([['', new Set()]]);
  /** Why the tar could not be read (the unpacker then reports it properly). */
  failure: unknown;

  /** A pass-through that reads every entry going by. Await `settled` once the stream has ended. */
  tap(): { stream: Transform; settled: Promise<void> } {
    const extract = tarExtract();
    const settled = (async () => {
      for await (const entry of extract) {
        // Such an entry may never end: stop here; the unpacker then says what is wrong.
        const malformed = malformedTarField(entry.header);
        if (malformed !== undefined) throw errors.invalidArgument('malformed-layer', `context entry "${entry.header.name}" has a malformed ${malformed} field`);
        const hash = createHash('sha256');
        const parts: Buffer[] = [];
        let size = 0;
        // tar-stream gives a directory no data: its stream never ends when the header claims a size.
        const data: Iterable<Buffer> | AsyncIterable<Buffer> = entry.header.type === 'directory' ? [] : entry as AsyncIterable<Buffer>;
        if (entry.header.type === 'directory') entry.resume();
        for await (const chunk of data) {
          hash.update(chunk);
          size += chunk.length;
          if (size <= SMALL_FILE) parts.push(chunk);
        }
        this.add(entry.header.name, entry.header.type, entry.header.mode, entry.header.linkname, size, hash.digest('hex'), size <= SMALL_FILE ? Buffer.concat(parts) : undefined);
      }
    })().catch((err: unknown) => { this.failure ??= err; });
    let waiting: (() => void) | undefined;
    const release = (): void => {
      const resume = waiting;
      waiting = undefined;
      resume?.();
    };
    extract.on('drain', release);
    extract.on('close', release);
    const stream = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        if (this.failure !== undefined || extract.destroyed) { callback(null, chunk); return; }
        if (extract.write(chunk)) callback(null, chunk);
        else waiting = () => { callback(null, chunk); };
      },
      flush: (callback) => {
        extract.end(null);
        callback();
      },
    });
    stream.on('error', (err) => { this.failure ??= err; extract.destroy(); });
    return { stream, settled };
  }

  private add(rawName: string, type: string, mode: number, linkname: string | null, size: number, digest: string, content: Buffer | undefined): void {
    const name = posix.normalize(`/${rawName}`).slice(1).replace(/\/$/, '');
    if (rawName.split('/').includes('..')) throw errors.invalidArgument('unsafe-layer-entry', `context entry ${rawName} climbs out of the context`);
    if (name === '') {
      // The root's own entry (`./`): the unpacker gives the root its mode.
      if (type === 'directory') this.entries.set('', { ...ROOT, mode: mode & 0o7777 });
      return;
    }
    let entry: TreeEntry;
    if (type === 'link') {
      const target = this.entries.get(posix.normalize(`/${linkname ?? ''}`).slice(1));
      entry = target === undefined ? { type: 'other', mode, size: 0, linkname: '', digest: '' } : { ...target };
    } else {
      const kind = type === 'file' || type === 'contiguous-file' ? 'file' : type === 'directory' ? 'directory' : type === 'symlink' ? 'symlink' : 'other';
      entry = { type: kind, mode: mode & 0o7777, size: kind === 'file' ? size : 0, linkname: linkname ?? '', digest: kind === 'file' ? digest : '', ...(kind === 'file' && content !== undefined && { content }) };
    }
    // Missing parents are directories, as the unpacker makes them.
    let parent = posix.dirname(name) === '.' ? '' : posix.dirname(name);
    let child = posix.basename(name);
    for (;;) {
      const siblings = this.children.get(parent) ?? new Set<string>();
      siblings.add(child);
      this.children.set(parent, siblings);
      if (parent === '' || this.entries.has(parent)) break;
      this.entries.set(parent, { type: 'directory', mode: 0o755, size: 0, linkname: '', digest: '' });
      child = posix.basename(parent);
      parent = posix.dirname(parent) === '.' ? '' : posix.dirname(parent);
    }
    const previous = this.entries.get(name);
    if (previous?.type === 'directory' && entry.type !== 'directory') this.dropBelow(name);
    this.entries.set(name, entry);
  }

  private dropBelow(dir: string): void {
    for (const name of this.children.get(dir) ?? []) {
      const path = dir === '' ? name : `${dir}/${name}`;
      this.dropBelow(path);
      this.entries.delete(path);
    }
    this.children.delete(dir);
  }

  /** The entry at `path` (relative, `/`-separated, already resolved), not following a last symlink. */
  lstat(path: string): TreeEntry | undefined {
    return this.entries.get(path === '.' ? '' : path);
  }

  readdir(path: string): string[] {
    const entry = this.lstat(path);
    if (entry?.type !== 'directory') return [];
    return [...(this.children.get(path === '.' ? '' : path) ?? [])].filter((n) => this.entries.has(path === '.' || path === '' ? n : `${path}/${n}`)).sort();
  }

  /**
   * `path` with every symlink resolved inside the root (chrootWalk, as resolveInRoot does on
   * disk); `''` is the root. Throws invalid-argument `too-many-links`.
   */
  resolve(path: string, followLast = true): string {
    const steps = chrootWalk(path, 'the build context', { followLast });
    let step = steps.next();
    while (step.done !== true) {
      const entry = this.entries.get(step.value.join('/'));
      step = steps.next(entry?.type === 'symlink' ? entry.linkname : undefined);
    }
    return step.value.join('/');
  }

  /**
   * The digest hashSource gives the same files on disk: each entry's relative path, type, mode
   * (as lstat reports it), link target and content, in sorted order. `path` is resolved.
   */
  hash(path: string, filter: EntryFilter = () => true): string {
    const hash = createHash('sha256');
    const typeBits = { file: 0o100000, directory: 0o040000, symlink: 0o120000, other: 0 } as const;
    const visit = (at: string, relative: string): void => {
      const entry = this.lstat(at);
      if (entry === undefined) throw errors.notFound('copy-source-not-found', `${at}: no such file or directory in the build context`);
      const mode = entry.type === 'symlink' ? 0o120777 : typeBits[entry.type] | entry.mode;
      hash.update(`${relative}\0${mode.toString(8)}\0`);
      if (entry.type === 'symlink') hash.update(`link\0${entry.linkname}\0`);
      else if (entry.type === 'file') hash.update(`file\0${entry.size}\0${entry.digest}\0`);
      else if (entry.type === 'directory') {
        hash.update('dir\0');
        for (const name of this.readdir(at)) {
          const rel = relative === '' ? name : `${relative}/${name}`;
          const child = at === '' ? name : `${at}/${name}`;
          if (filter(rel, this.lstat(child)?.type === 'directory')) visit(child, rel);
        }
      }
    };
    visit(path, '');
    return hash.digest('hex');
  }
}
