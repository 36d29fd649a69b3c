/**
 * The files a build may read: a directory, or a tar (the Docker API's request body). A tar's tree
 * is read as it streams in: planning a build (the Dockerfile, COPY sources, cache keys) reads the
 * tree, and the files are unpacked (context-tar.ts, the same safe unpacker as layers) only when a
 * step needs them on disk.
 * `.dockerignore` at the root hides files from every COPY and ADD (and from the cache keys).
 * Paths given by the Dockerfile are relative to the root and can never leave it.
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { errnoCode, errors } from '../../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../../base/logger.js';
import { ownerTag } from '../../base/process-alive.js';
import { resolveInRoot } from '../../mount/path-in-root.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { hashSource, type EntryFilter } from '../steps/copy-files.js';
import type { ContextTree } from './context-tree.js';
import { readContextTar, unpackPending } from './context-tar.js';
import { DockerIgnore } from '../../wire/dockerignore.js';
import { cleanPattern, compilePattern } from '../../wire/dockerignore-patterns.js';

const log = componentLogger('build');

interface TarState {
  /** The temp directory (`fs/` below it holds the files once unpacked). */
  owned: string;
  tree: ContextTree | undefined;
  /** The tar's bytes (or their spool file) while not unpacked. */
  pending: Buffer[] | string | undefined;
  runner: ProcessRunner;
  unpacking?: Promise<void>;
}

export class BuildContext {
  private constructor(
    /** Host directory of the context root (for a tar: once it is unpacked). */
    private readonly dir: string,
    readonly ignore: DockerIgnore,
    private readonly tar: TarState | undefined,
  ) {}

  static async fromDirectory(dir: string): Promise<BuildContext> {
    return new BuildContext(dir, await DockerIgnore.read(dir), undefined);
  }

  /** Reads a (plain, gzip or zstd) tar; its files go under `tmpDir` when needed; `close` removes them. */
  static async fromTar(tar: Readable, tmpDir: string, runner: ProcessRunner, options: { memoryLimit?: number } = {}): Promise<BuildContext> {
    await mkdir(tmpDir, { recursive: true });
    const owned = await mkdtemp(join(tmpDir, `build-context-${ownerTag()}-`));
    try {
      const read = await readContextTar(tar, owned, runner, options.memoryLimit);
      const state: TarState = { owned, tree: read.tree, pending: read.pending, runner };
      const dir = join(owned, 'fs');
      const ignoreFile = read.tree?.lstat(read.tree.resolve('.dockerignore'));
      const ignore = read.tree === undefined
        ? await DockerIgnore.read(dir)
        : ignoreFile?.type === 'file' && ignoreFile.content !== undefined ? DockerIgnore.parse(ignoreFile.content.toString('utf8')) : DockerIgnore.empty();
      return new BuildContext(dir, ignore, state);
    } catch (err) {
      await rm(owned, { recursive: true, force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.tar === undefined) return;
    // A failed unpacking failed the step that needed the files: here it only has to be over.
    await this.tar.unpacking?.catch(() => undefined);
    this.tar.pending = undefined;
    await rm(this.tar.owned, { recursive: true, force: true });
  }

  /** The files on disk (unpacked on first use for a tar context); the root's host directory. */
  private async onDisk(): Promise<string> {
    const tar = this.tar;
    if (tar?.pending !== undefined) {
      const pending = tar.pending;
      tar.unpacking ??= unpackPending(pending, tar.owned, tar.runner).then(() => { tar.pending = undefined; });
      await tar.unpacking;
    }
    return this.dir;
  }

  /** The Dockerfile's text. Not-found (`dockerfile-not-found`) when it is not there. */
  async readDockerfile(path: string): Promise<string> {
    const relative = cleanPattern(path);
    if (relative.startsWith('..')) throw errors.invalidArgument('dockerfile-outside-context', `the Dockerfile (${path}) must be inside the build context`);
    const tree = this.tar?.tree;
    const entry = tree?.lstat(tree.resolve(relative));
    if (tree !== undefined && entry?.type !== 'file') throw errors.notFound('dockerfile-not-found', `Cannot locate specified Dockerfile: ${path}`);
    if (entry?.content !== undefined) return entry.content.toString('utf8');
    try {
      return await readFile(await resolveInRoot(await this.onDisk(), relative), 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') {
        throw errors.notFound('dockerfile-not-found', `Cannot locate specified Dockerfile: ${path}`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * The context paths a COPY/ADD source names: the path itself, or every path its glob matches
   * (sorted). Excluded paths do not exist. Throws not-found (`copy-source-not-found`) when nothing
   * matches, invalid-argument when the source climbs out of the context.
   */
  async resolveSource(source: string): Promise<string[]> {
    const cleaned = cleanPattern(source);
    if (cleaned === '..' || cleaned.startsWith('../')) throw errors.invalidArgument('copy-outside-context', `forbidden path outside the build context: ${source}`);
    if (!/[*?[]/.test(cleaned)) {
      if (cleaned !== '.' && (this.ignore.excludes(cleaned) || !(await this.exists(cleaned)))) {
        throw errors.notFound('copy-source-not-found', `${source}: no such file or directory in the build context`);
      }
      return [cleaned];
    }
    const regex = compilePattern(cleaned);
    const depth = cleaned.includes('**') ? Infinity : cleaned.split('/').length;
    const matches: string[] = [];
    await this.walk('', depth, (path) => {
      if (regex.test(path)) matches.push(path);
    });
    if (matches.length === 0) throw errors.notFound('copy-source-not-found', `${source}: no source files were specified (nothing matches)`);
    return matches.sort();
  }

  /** The host path of a context path, symlinks resolved inside the context (the files are then on disk). */
  async hostPath(path: string): Promise<string> {
    return resolveInRoot(await this.onDisk(), path);
  }

  /**
   * The content digest of what copying `path` (symlinks resolved) reads, entries below it passing
   * `filter` (see hashSource): from the tree for a tar context, from the disk for a directory.
   */
  async hash(path: string, filter?: EntryFilter): Promise<string> {
    const tree = this.tar?.tree;
    if (tree !== undefined) return tree.hash(tree.resolve(path), filter);
    return hashSource(await this.hostPath(path), filter);
  }

  /** Whether a context path (symlinks resolved) is a directory. */
  async isDirectory(path: string): Promise<boolean> {
    const tree = this.tar?.tree;
    if (tree !== undefined) return tree.lstat(tree.resolve(path))?.type === 'directory';
    return (await lstat(await this.hostPath(path)).catch(warnUnlessErrno(['ENOENT', 'ENOTDIR'], log, 'looking at a build context path', { path })))?.isDirectory() === true;
  }

  private async exists(path: string): Promise<boolean> {
    const tree = this.tar?.tree;
    if (tree !== undefined) return tree.lstat(tree.resolve(path, false)) !== undefined;
    return exists(join(this.dir, path));
  }

  private async list(dir: string): Promise<{ name: string; isDirectory: () => Promise<boolean> }[]> {
    const tree = this.tar?.tree;
    if (tree !== undefined) {
      const at = tree.resolve(dir);
      return tree.readdir(at).map((name) => ({ name, isDirectory: () => Promise.resolve(tree.lstat(at === '' ? name : `${at}/${name}`)?.type === 'directory') }));
    }
    return (await readdir(join(this.dir, dir))).map((name) => ({ name, isDirectory: async () => (await lstat(join(this.dir, dir, name))).isDirectory() }));
  }

  /**
   * Whether a context path (below a source) is visible, i.e. not excluded by .dockerignore. An
   * excluded directory that an exception may reach into (`docs` with `!docs/README.md`) is
   * visible so that a walk goes into it.
   */
  visible(path: string, isDirectory: boolean): boolean {
    if (path === '.' || !this.ignore.excludes(path)) return true;
    return isDirectory && !this.ignore.canSkipDirectory(path);
  }

  private async walk(dir: string, depth: number, visit: (path: string) => void): Promise<void> {
    if (depth === 0) return;
    const entries = await this.list(dir);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = dir === '' ? entry.name : posix.join(dir, entry.name);
      if (this.ignore.excludes(path)) continue;
      visit(path);
      if (depth > 1 && (await entry.isDirectory())) await this.walk(path, depth - 1, visit);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}
