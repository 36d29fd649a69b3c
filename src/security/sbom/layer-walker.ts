import { copyFile, lstat, mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { messageOf } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { parseXattrDump } from '../../snapshots/xattr-dump.js';
import type { FoundPackage, LayerInventory } from './package-types.js';
import { parseApkInstalled } from './parsers/apk-installed.js';
import { parseDebianCopyright } from './parsers/dpkg-copyright.js';
import { parseDpkgStatus } from './parsers/dpkg-status.js';
import { goPackages } from './parsers/go-buildinfo.js';
import { parseJavaArchive } from './parsers/java-archive.js';
import { parseNodePackageJson, parsePackageLock } from './parsers/npm-manifests.js';
import { parseOsRelease } from './parsers/os-release.js';
import { parsePythonMetadata } from './parsers/python-metadata.js';
import { rpmPackage } from './parsers/rpm-header.js';

/** Text package databases larger than this are refused (dpkg's status is a few MiB). */
const MAX_TEXT_BYTES = 64 << 20;
/** Archives and binaries larger than this are not read. */
const MAX_BINARY_BYTES = 256 << 20;

type Kind = 'dpkg' | 'copyright' | 'apk' | 'rpm' | 'rpm-bdb' | 'os-release' | 'npm-lock' | 'npm-package' | 'python' | 'java' | 'maybe-go';

function classify(rel: string, executable: boolean): Kind | undefined {
  if (rel === 'var/lib/dpkg/status' || (/^var\/lib\/dpkg\/status\.d\/[^/]+$/.test(rel) && !rel.endsWith('.md5sums'))) return 'dpkg';
  if (/^usr\/share\/doc\/[^/]+\/copyright$/.test(rel)) return 'copyright';
  if (rel === 'lib/apk/db/installed') return 'apk';
  if (rel === 'var/lib/rpm/rpmdb.sqlite' || rel === 'usr/lib/sysimage/rpm/rpmdb.sqlite') return 'rpm';
  if (rel === 'var/lib/rpm/Packages' || rel === 'usr/lib/sysimage/rpm/Packages') return 'rpm-bdb';
  if (rel === 'etc/os-release' || rel === 'usr/lib/os-release') return 'os-release';
  if (/(^|\/)package-lock\.json$/.test(rel) && !rel.includes('node_modules/')) return 'npm-lock';
  if (/(^|\/)node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(rel)) return 'npm-package';
  if (/\.dist-info\/METADATA$/.test(rel) || /\.egg-info(\/PKG-INFO)?$/.test(rel)) return 'python';
  if (/\.(jar|war|ear)$/i.test(rel)) return 'java';
  return executable ? 'maybe-go' : undefined;
}

export interface WalkOptions {
  /** Finds opaque directories (overlay xattrs); only for layers above the first. */
  runner?: ProcessRunner;
  detectOpaque?: boolean;
}

/** Directories of `dir` that carry `trusted.overlay.opaque=y`, relative to `dir`. */
async function opaqueDirs(dir: string, runner: ProcessRunner): Promise<string[]> {
  const result = await runner.run('getfattr', ['-R', '-h', '-d', '-e', 'text', '-m', '^trusted\\.overlay\\.opaque$', '--absolute-names', dir], { okCodes: [0, 1] });
  const found: string[] = [];
  for (const [path, attrs] of parseXattrDump(result.stdout)) {
    if (attrs.get('trusted.overlay.opaque')?.toString() === 'y' && path.startsWith(`${dir}/`)) found.push(path.slice(dir.length + 1));
  }
  return found;
}

async function readRpmSqlite(file: string, rel: string, warnings: string[]): Promise<FoundPackage[]> {
  // Opened from a private copy: SQLite may write -shm/-wal files next to a database, and a
  // layer must never change.
  const dir = await mkdtemp(join(tmpdir(), 'berth-rpmdb-'));
  try {
    await copyFile(file, join(dir, 'rpmdb.sqlite'));
    const db = new BetterSqlite3(join(dir, 'rpmdb.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const packages: FoundPackage[] = [];
      for (const row of db.prepare('SELECT hnum, blob FROM Packages').iterate() as Iterable<{ hnum: number; blob: unknown }>) {
        if (!Buffer.isBuffer(row.blob)) continue;
        try {
          const pkg = rpmPackage(row.blob, rel);
          if (pkg) packages.push(pkg);
        } catch (err) {
          warnings.push(`${rel}: header ${row.hnum} is malformed: ${messageOf(err)}`);
        }
      }
      return packages;
    } finally {
      db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SKIPPED_TOP_DIRS = new Set(['proc', 'sys', 'dev']);

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

async function isElf(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ELF);
  } finally {
    await handle.close();
  }
}

/**
 * Reads one layer directory (or any root filesystem) for package databases, manifests, Java
 * archives and Go binaries. Never follows symlinks; never writes to the directory. A file that
 * cannot be parsed becomes a warning, never a failed scan.
 */
export async function walkLayer(dir: string, diffId: string, options: WalkOptions = {}): Promise<LayerInventory> {
  const inventory: LayerInventory = { diffId, sources: [], copyrights: [], whiteouts: [], opaqueDirs: [], warnings: [] };
  const warnings = inventory.warnings;
  if (options.detectOpaque === true && options.runner) {
    try {
      inventory.opaqueDirs = await opaqueDirs(dir, options.runner);
    } catch (err) {
      warnings.push(`cannot read overlay attributes of ${diffId}: ${messageOf(err)}`);
    }
  }
  const handle = async (file: string, rel: string, kind: Kind, size: number): Promise<void> => {
    if (size > (kind === 'java' || kind === 'maybe-go' || kind === 'rpm' ? MAX_BINARY_BYTES : MAX_TEXT_BYTES)) {
      if (kind !== 'maybe-go') warnings.push(`${rel}: ${size} bytes, too large to read`);
      return;
    }
    const add = (packages: FoundPackage[]): void => { if (packages.length > 0 || kind !== 'maybe-go') inventory.sources.push({ path: rel, packages }); };
    switch (kind) {
      case 'dpkg': add(parseDpkgStatus(await readFile(file, 'utf8'), rel, warnings)); return;
      case 'apk': add(parseApkInstalled(await readFile(file, 'utf8'), rel, warnings)); return;
      case 'npm-lock': add(parsePackageLock(await readFile(file, 'utf8'), rel, warnings)); return;
      case 'npm-package': add(parseNodePackageJson(await readFile(file, 'utf8'), rel, warnings)); return;
      case 'python': add(parsePythonMetadata(await readFile(file, 'utf8'), rel, warnings)); return;
      case 'rpm': add(await readRpmSqlite(file, rel, warnings)); return;
      case 'rpm-bdb': warnings.push(`${rel}: Berkeley DB rpm databases are not read yet (rpmdb.sqlite is)`); return;
      case 'copyright': {
        const licenses = parseDebianCopyright(await readFile(file, 'utf8'));
        inventory.copyrights.push({ path: rel, pkg: rel.split('/')[3] ?? '', licenses });
        return;
      }
      case 'os-release': {
        const value = parseOsRelease(await readFile(file, 'utf8'));
        if (value) inventory.osRelease = { path: rel, value };
        return;
      }
      case 'java': add(await parseJavaArchive(await readFile(file), rel)); return;
      case 'maybe-go':
        if (size > 1024 && (await isElf(file))) add(goPackages(await readFile(file), rel));
        return;
    }
  };
  const visit = async (abs: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      warnings.push(`${rel || '.'}: cannot list: ${messageOf(err)}`);
      return;
    }
    for (const entry of entries) {
      const childAbs = join(abs, entry.name);
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        // A live root filesystem's kernel trees hold no packages and change while read.
        if (!(rel === '' && SKIPPED_TOP_DIRS.has(entry.name))) await visit(childAbs, childRel);
        continue;
      }
      let kind: Kind | undefined;
      try {
        if (entry.isCharacterDevice()) {
          if ((await lstat(childAbs)).rdev === 0) inventory.whiteouts.push(childRel);
          continue;
        }
        if (!entry.isFile()) continue;
        const st = await lstat(childAbs);
        kind = classify(childRel, (st.mode & 0o111) !== 0);
        if (kind !== undefined) await handle(childAbs, childRel, kind, st.size);
      } catch (err) {
        warnings.push(`${childRel}: cannot be read${kind === undefined ? '' : ` as ${kind}`}: ${messageOf(err)}`);
      }
    }
  };
  await visit(dir, '');
  return inventory;
}
