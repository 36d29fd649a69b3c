// uploadArchive and commitUpload on a scratch directory: a good tar lands whole, a refused one
// changes nothing (not even the directory's mtime), a commit that fails part-way is undone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack, type Header } from 'tar-stream';
import { ownerTag } from '../base/process-alive.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { uploadEntryOf } from './archive-upload-entry.js';
import { commitUpload } from './archive-upload-commit.js';
import { destinationProbe, type UploadDestination } from './archive-upload-destination.js';
import { UploadPlan } from './archive-upload-plan.js';
import { UploadStage } from './archive-upload-stage.js';
import { uploadArchive } from './archive-upload.js';

const runner: ProcessRunner = { run: () => Promise.reject(new Error('no process is run here')) };
const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;
const OLD = new Date(1_600_000_000_000);

/** A tar header (type defaults to file) and a file's content. */
type TestEntry = Partial<Header> & Pick<Header, 'name'> & { content?: string };

let work: string;
before(async () => { work = await mkdtemp(join(tmpdir(), 'berth-upload-unit-')); });
after(async () => { await rm(work, { recursive: true, force: true }); });

/** A destination with `keep/` and `keep/file` in it, its times set to OLD. */
async function destination(name: string): Promise<UploadDestination> {
  const target = join(work, name);
  await mkdir(join(target, 'keep'), { recursive: true });
  await writeFile(join(target, 'keep', 'file'), 'kept');
  for (const path of [join(target, 'keep'), target]) await utimes(path, OLD, OLD);
  return { target, mountRoot: target, mountPoints: new Set() };
}

function tarOf(entries: (TestEntry)[]): Readable {
  const tar = pack();
  for (const { content, ...header } of entries) tar.entry({ uid, gid, ...header }, content ?? '');
  tar.finalize();
  return Readable.from(tar);
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

const options = { runner, ids: {}, noOverwriteDirNonDir: false, containerPath: '/dest' };

test('a good tar lands whole: files, directories with their times, links; no staging is left', async () => {
  const dest = await destination('good');
  const mtime = new Date(1_500_000_000_000);
  await uploadArchive(tarOf([
    { name: 'app/', type: 'directory', mode: 0o750, mtime },
    { name: 'app/run', content: 'run', mode: 0o755 },
    { name: 'app/link', type: 'symlink', linkname: 'run' },
    { name: 'app/hard', type: 'link', linkname: 'app/run' },
    { name: 'keep/file', content: 'new' },
  ]), dest, options);
  assert.deepEqual(await listing(dest.target), ['app', 'app/hard', 'app/link', 'app/run', 'keep', 'keep/file']);
  assert.equal(await readFile(join(dest.target, 'app', 'hard'), 'utf8'), 'run');
  assert.equal(await readlink(join(dest.target, 'app', 'link')), 'run');
  assert.equal(await readFile(join(dest.target, 'keep', 'file'), 'utf8'), 'new');
  const app = await lstat(join(dest.target, 'app'));
  assert.deepEqual([app.mode & 0o7777, app.mtime.getTime()], [0o750, mtime.getTime()]);
});

test('an upload removes the staging a dead daemon left in the mount root, and keeps a live one', async () => {
  const dest = await destination('stale');
  const dead = '.berth-upload-999999999.1-0badc0de';
  const live = `.berth-upload-${ownerTag()}-0123abcd`;
  await mkdir(join(dest.target, dead, 'tree'), { recursive: true });
  await mkdir(join(dest.target, live));
  await uploadArchive(tarOf([{ name: 'new', content: 'n' }]), dest, options);
  assert.deepEqual(await listing(dest.target), [live, 'keep', 'keep/file', 'new']);
});

test('a tar refused after good entries changes nothing, the directory times included', async () => {
  const dest = await destination('refused');
  const before = await listing(dest.target);
  await assert.rejects(uploadArchive(tarOf([
    { name: 'a/', type: 'directory' },
    { name: 'a/f', content: 'f' },
    { name: 'keep/file', content: 'overwritten' },
    { name: 'keep/l', type: 'symlink', linkname: '/etc' },
    { name: 'h', type: 'link', linkname: 'nowhere' },
  ]), dest, options), { reason: 'hard-link-target-missing' });
  assert.deepEqual(await listing(dest.target), before);
  assert.equal(await readFile(join(dest.target, 'keep', 'file'), 'utf8'), 'kept');
  assert.equal((await lstat(dest.target)).mtime.getTime(), OLD.getTime());
  assert.equal((await lstat(join(dest.target, 'keep'))).mtime.getTime(), OLD.getTime());
});

/** A plan and its staging of `entries` (the xattrs go with `keep/`). */
async function staged(dest: UploadDestination, entries: (TestEntry)[], xattrs?: Map<string, Buffer>): Promise<{ plan: UploadPlan; stage: UploadStage }> {
  const plan = new UploadPlan(destinationProbe(dest), { noOverwriteDirNonDir: false, containerPath: '/dest', mountPoints: dest.mountPoints });
  const stage = new UploadStage(dest, plan, runner, { uid, gid });
  for (const { content, ...fields } of entries) {
    const header = { uid, gid, type: 'file' as const, ...fields };
    const entry = uploadEntryOf(header, {});
    const body = { header, resume: () => undefined, [Symbol.asyncIterator]: () => Readable.from(content === undefined ? [] : [Buffer.from(content)])[Symbol.asyncIterator]() };
    await stage.write(entry, await plan.place(entry, entry.path === 'keep' ? xattrs : undefined), body);
  }
  return { plan, stage };
}

test('a commit whose rename fails part-way takes back what it moved in', async () => {
  const dest = await destination('undo-rename');
  const { plan, stage } = await staged(dest, [{ name: 'b', content: 'b' }, { name: 'keep/new', content: 'new' }, { name: 'a/', type: 'directory' }, { name: 'a/f', content: 'f' }]);
  // Something else makes `a` meanwhile: moving the staged `a` in fails after `b` and `keep/new` moved in.
  await mkdir(join(dest.target, 'a'));
  await writeFile(join(dest.target, 'a', 'other'), 'other');
  await assert.rejects(commitUpload(plan, stage, dest, runner), { code: 'ENOTEMPTY' });
  await stage.cleanup(new Set());
  assert.deepEqual(await listing(dest.target), ['a', 'a/other', 'keep', 'keep/file']);
});

test('a commit that fails after changing a directory\'s mode gives the mode back', async () => {
  const dest = await destination('undo-mode');
  const { plan, stage } = await staged(dest, [{ name: 'b', content: 'b' }, { name: 'keep/', type: 'directory', mode: 0o700 }], new Map([['user.test', Buffer.from('1')]]));
  // setfattr (this test's runner refuses to run anything) comes after the mode change.
  await assert.rejects(commitUpload(plan, stage, dest, runner), /no process is run here/);
  await stage.cleanup(new Set());
  assert.deepEqual(await listing(dest.target), ['keep', 'keep/file']);
  assert.equal((await lstat(join(dest.target, 'keep'))).mode & 0o7777, 0o755);
  assert.equal((await lstat(dest.target)).mtime.getTime(), OLD.getTime());
});
