/**
 * The files a build may read: a directory, or a tar (the Docker API's request body) unpacked into a
 * temp directory with the same safe unpacker as layers. `.dockerignore` at the root hides files
 * from every COPY and ADD (and from the cache keys). Paths given by the Dockerfile are relative
 * to the root and can never leave it.
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { errnoCode, errors } from '../../base/errors.js';
import { resolveInRoot } from '../../base/read-file-in-root.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { openLayerStream } from '../../snapshots/decompress.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';
import type { FileDigests } from '../steps/copy-files.js';
import { ContextDigests } from './context-digests.js';
import { DockerIgnore } from './dockerignore.js';
import { cleanPattern, compilePattern } from './path-pattern.js';

export class BuildContext {
  private constructor(
    /** Host directory of the context root. */
    readonly dir: string,
    readonly ignore: DockerIgnore,
    private readonly owned: string | undefined,
    /** Content digests of the context's files when they were hashed on the way in (a tar context). */
    readonly fileDigests?: FileDigests,
  ) {}

  static async fromDirectory(dir: string): Promise<BuildContext> {
    return new BuildContext(dir, await readIgnore(dir), undefined);
  }

  /** Unpacks a (plain, gzip or zstd) tar under `tmpDir`; `close` removes it. */
  static async fromTar(tar: Readable, tmpDir: string, runner: ProcessRunner): Promise<BuildContext> {
    await mkdir(tmpDir, { recursive: true });
    const owned = await mkdtemp(join(tmpDir, `build-context-${process.pid}-`));
    try {
      await mkdir(join(owned, 'fs'));
      // The files' digests are taken on the way in, so cache keys need not read them again.
      const digests = new ContextDigests();
      const tap = digests.tap();
      const stream = pipeline(openLayerStream(tar), tap.stream, () => undefined);
      await unpackLayer(stream, join(owned, 'fs'), { runner, hash: false });
      await tap.settle(join(owned, 'fs'));
      return new BuildContext(join(owned, 'fs'), await readIgnore(join(owned, 'fs')), owned, digests);
    } catch (err) {
      await rm(owned, { recursive: true, force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.owned !== undefined) await rm(this.owned, { recursive: true, force: true });
  }

  /** The Dockerfile's text. Not-found (`dockerfile-not-found`) when it is not there. */
  async readDockerfile(path: string): Promise<string> {
    const relative = cleanPattern(path);
    if (relative.startsWith('..')) throw errors.invalidArgument('dockerfile-outside-context', `the Dockerfile (${path}) must be inside the build context`);
    try {
      return await readFile(join(this.dir, relative), 'utf8');
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
      if (cleaned !== '.' && (this.ignore.excludes(cleaned) || !(await exists(join(this.dir, cleaned))))) {
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

  /** The host path of a context path, symlinks resolved inside the context. */
  hostPath(path: string): Promise<string> {
    return resolveInRoot(this.dir, path);
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
    const names = await readdir(join(this.dir, dir));
    for (const name of names.sort()) {
      const path = dir === '' ? name : posix.join(dir, name);
      if (this.ignore.excludes(path)) continue;
      visit(path);
      if (depth > 1 && (await lstat(join(this.dir, path))).isDirectory()) await this.walk(path, depth - 1, visit);
    }
  }
}

async function readIgnore(dir: string): Promise<DockerIgnore> {
  try {
    return DockerIgnore.parse(await readFile(join(dir, '.dockerignore'), 'utf8'));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return DockerIgnore.empty();
    throw err;
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
