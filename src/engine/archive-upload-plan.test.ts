import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uploadEntryOf, type UploadEntry } from './archive-upload-entry.js';
import { UploadPlan, type Existing } from './archive-upload-plan.js';

type Header = Parameters<typeof uploadEntryOf>[0];

/** What the fake destination holds; everything else is missing. */
const DESTINATION: Record<string, Existing> = {
  etc: { kind: 'directory', mountPoint: false },
  'etc/passwd': { kind: 'other', mountPoint: false },
  'etc/hostname': { kind: 'other', mountPoint: true },
  tmp: { kind: 'directory', mountPoint: false },
  'tmp/old': { kind: 'other', mountPoint: false },
  bin: { kind: 'symlink', mountPoint: false },
  data: { kind: 'directory', mountPoint: true },
  srv: { kind: 'directory', mountPoint: false },
  opt: { kind: 'directory', mountPoint: false },
  'opt/passwd': { kind: 'other', mountPoint: false },
};

function planOf(options: { noOverwriteDirNonDir?: boolean } = {}): { plan: UploadPlan; probed: string[] } {
  const probed: string[] = [];
  const probe = (path: string): Promise<Existing> => {
    probed.push(path);
    return Promise.resolve(DESTINATION[path] ?? { kind: 'missing' });
  };
  const plan = new UploadPlan(probe, { noOverwriteDirNonDir: options.noOverwriteDirNonDir === true, containerPath: '/', mountPoints: new Set(['data', 'etc/hostname', 'srv/www/app']) });
  return { plan, probed };
}

const file = (name: string): UploadEntry => uploadEntryOf({ name, type: 'file' }, {});
const dir = (name: string, extra: Partial<Header> = {}): UploadEntry => uploadEntryOf({ name, type: 'directory', ...extra }, {});
const link = (name: string, linkname: string): UploadEntry => uploadEntryOf({ name, type: 'link', linkname }, {});
const symlink = (name: string, linkname: string): UploadEntry => uploadEntryOf({ name, type: 'symlink', linkname }, {});

test('missing parents become new directories, existing ones are merged into; nothing below a new one is probed', async () => {
  const { plan, probed } = planOf();
  assert.deepEqual(await plan.place(file('tmp/a/b/f')), { action: 'create', added: ['tmp', 'tmp/a', 'tmp/a/b'], discard: false });
  assert.deepEqual(await plan.place(file('tmp/a/g')), { action: 'create', added: [], discard: false });
  assert.deepEqual(probed, ['tmp', 'tmp/a'], 'below a new directory nothing is probed');
  assert.equal(plan.node('tmp')?.origin, 'existing');
  assert.equal(plan.node('tmp/a')?.origin, 'new');
  assert.deepEqual(plan.childrenOf('tmp/a'), ['tmp/a/b', 'tmp/a/g']);
});

test('a path through a symbolic link or a non-directory is refused, whether the destination or the tar made it', async () => {
  const { plan } = planOf();
  await assert.rejects(plan.place(file('bin/x')), { reason: 'unsafe-layer-entry', message: 'layer entry "bin/x" goes through "bin", which is a symbolic link' });
  await plan.place(symlink('l', '/etc'));
  await assert.rejects(plan.place(file('l/passwd')), { reason: 'unsafe-layer-entry' });
  await assert.rejects(plan.place(file('etc/passwd/x')), { reason: 'layer-entry-parent-not-directory', message: 'layer entry "etc/passwd/x" is under "etc/passwd", which is not a directory' });
  await plan.place(file('f'));
  await assert.rejects(plan.place(dir('f/d/')), { reason: 'layer-entry-parent-not-directory' });
});

test('a directory entry merges into a directory and keeps its mode, owner and mtime for it', async () => {
  const { plan } = planOf();
  const placement = await plan.place(dir('tmp/', { mode: 0o1777, uid: 3, mtime: new Date(5000) }));
  assert.deepEqual(placement, { action: 'merge', added: ['tmp'], discard: false });
  assert.deepEqual(plan.node('tmp'), { kind: 'directory', origin: 'existing', mountPoint: false, meta: { mode: 0o1777, owner: { uid: 3, gid: 0 }, mtime: new Date(5000) } });
  assert.deepEqual(await plan.place(dir('new/')), { action: 'create', added: [], discard: false });
  assert.equal((await plan.place(dir('new/', { mode: 0o700 }))).action, 'merge');
  assert.equal(plan.node('new')?.meta?.mode, 0o700);
  assert.deepEqual(await plan.place(dir('./')), { action: 'skip', added: [], discard: false });
});

test('replacing: what the destination held is recorded, a staged entry is discarded with all below it', async () => {
  const { plan } = planOf();
  assert.deepEqual(await plan.place(file('tmp/old')), { action: 'create', added: ['tmp'], discard: false });
  assert.equal(plan.node('tmp/old')?.replaces, 'other');
  assert.deepEqual(await plan.place(file('tmp/old')), { action: 'create', added: [], discard: true });
  assert.equal(plan.node('tmp/old')?.replaces, 'other');
  await plan.place(file('opt/x'));
  const placement = await plan.place(file('opt'));
  assert.deepEqual([placement.discard, plan.node('opt')?.replaces, plan.node('opt/x'), plan.childrenOf('opt')], [true, 'directory', undefined, []]);
  // Below the new file's place nothing of the destination's is left: a new tree starts there.
  await plan.place(dir('opt/'));
  assert.equal(plan.node('opt')?.origin, 'new');
  await assert.rejects(plan.place(link('h', 'opt/passwd')), { reason: 'hard-link-target-missing' });
});

test('noOverwriteDirNonDir refuses to swap a directory and a non-directory, with dockerd\'s messages', async () => {
  const { plan } = planOf({ noOverwriteDirNonDir: true });
  await assert.rejects(plan.place(file('tmp')), { kind: 'invalid-argument', message: 'cannot overwrite directory "/tmp" with non-directory "/"' });
  await assert.rejects(plan.place(dir('etc/passwd/')), { message: 'cannot overwrite non-directory "/etc/passwd" with directory "/"' });
  await plan.place(file('f'));
  await assert.rejects(plan.place(dir('f')), { message: 'cannot overwrite non-directory "/f" with directory "/"' });
  assert.equal((await plan.place(file('tmp/old'))).action, 'create');
  assert.equal((await plan.place(dir('tmp'))).action, 'merge');
});

test('mount points are never replaced; what goes below one is on its filesystem', async () => {
  const { plan } = planOf();
  await assert.rejects(plan.place(file('data')), { kind: 'internal', reason: 'layer-write-failed' });
  await assert.rejects(plan.place(file('etc/hostname')), { reason: 'layer-write-failed' });
  await assert.rejects(plan.place(file('srv')), { reason: 'layer-write-failed' });
  await plan.place(file('data/sub/f'));
  assert.deepEqual([plan.anchorOf('data/sub/f'), plan.anchorOf('data'), plan.anchorOf('tmp/x'), plan.anchorOf('')], ['data', 'data', '', '']);
  assert.equal((await plan.place(dir('data'))).action, 'merge');
});

test('a hard link names an earlier entry or a non-directory of the destination', async () => {
  const { plan } = planOf();
  await plan.place(file('a/f'));
  assert.deepEqual((await plan.place(link('a/h', '/a/f'))).source, { staged: true, path: 'a/f' });
  assert.deepEqual((await plan.place(link('p', 'etc/passwd'))).source, { staged: false, path: 'etc/passwd' });
  assert.equal((await plan.place(link('a/f', 'a/f'))).action, 'skip');
  await assert.rejects(plan.place(link('m', 'nope')), { reason: 'hard-link-target-missing', message: 'layer entry "m" links to "nope", which no earlier entry created' });
  await assert.rejects(plan.place(link('m', 'a/nope/x')), { reason: 'hard-link-target-missing' });
  await assert.rejects(plan.place(link('m', 'tmp')), { reason: 'unsafe-layer-entry', message: 'layer entry "m" is a hard link to the directory "tmp"' });
  await assert.rejects(plan.place(link('m', 'bin/sh')), { reason: 'unsafe-layer-entry' });
  await assert.rejects(plan.place(link('m', 'etc/passwd/x')), { reason: 'layer-entry-parent-not-directory' });
  assert.equal(plan.node('m'), undefined);
});
