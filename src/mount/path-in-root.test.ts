import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { chrootWalk, MAX_SYMLINKS, resolveInLayers, resolveInRoot } from './path-in-root.js';

async function withDir(fn: (base: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'berth-pir-'));
  try {
    await fn(base);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

const tooManyLinks = (path: string) => (err: unknown): boolean =>
  isBerthError(err, 'invalid-argument') && err.reason === 'too-many-links' && err.message.includes(path);

/** A root with /etc/real (a file), /bin → usr/bin, /usr/bin/ and links of every kind. */
async function makeRoot(base: string): Promise<string> {
  const root = join(base, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'usr', 'bin'), { recursive: true });
  await writeFile(join(root, 'etc', 'real'), 'inside');
  await writeFile(join(base, 'secret'), 'outside');
  await symlink('usr/bin', join(root, 'bin'));
  await symlink('/etc/real', join(root, 'etc', 'abs'));
  await symlink('../../../../secret', join(root, 'etc', 'climb'));
  await symlink('/../../etc', join(root, 'up'));
  await symlink('/nowhere/x', join(root, 'dangling'));
  await symlink('b', join(root, 'a'));
  await symlink('a', join(root, 'b'));
  return root;
}

test('.. never climbs above the root, lexically or through links', async () => {
  await withDir(async (base) => {
    const root = await makeRoot(base);
    assert.equal(await resolveInRoot(root, '/../../etc/real'), join(root, 'etc/real'));
    assert.equal(await resolveInRoot(root, 'etc/../../..'), root);
    assert.equal(await resolveInRoot(root, '/etc/climb'), join(root, 'secret'));
    assert.equal(await resolveInRoot(root, '/up/real'), join(root, 'etc/real'));
    assert.equal(await resolveInRoot(root, '/bin/../etc'), join(root, 'usr/etc'), '.. applies to the resolved link');
  });
});

test('absolute targets start at the root; the last component is followed unless asked not to', async () => {
  await withDir(async (base) => {
    const root = await makeRoot(base);
    assert.equal(await resolveInRoot(root, '/etc/abs'), join(root, 'etc/real'));
    assert.equal(await resolveInRoot(root, '/etc/abs', { followLast: false }), join(root, 'etc/abs'));
    assert.equal(await resolveInRoot(root, '/bin/sh', { followLast: false }), join(root, 'usr/bin/sh'), 'parents are resolved');
    assert.equal(await resolveInRoot(root, '/bin'), join(root, 'usr/bin'));
  });
});

test('a link to a missing target, a non-directory in the middle, empty and . components', async () => {
  await withDir(async (base) => {
    const root = await makeRoot(base);
    assert.equal(await resolveInRoot(root, '/dangling'), join(root, 'nowhere/x'));
    assert.equal(await resolveInRoot(root, '/dangling', { followLast: false }), join(root, 'dangling'));
    const throughFile = await resolveInRoot(root, '/etc/real/x');
    assert.equal(throughFile, join(root, 'etc/real/x'));
    await assert.rejects(lstat(throughFile), { code: 'ENOTDIR' }, 'the caller sees ENOTDIR when it uses the path');
    assert.equal(await resolveInRoot(root, '//etc/./abs/'), join(root, 'etc/real'));
    assert.equal(await resolveInRoot(root, ''), root);
    assert.equal(await resolveInRoot(root, '.'), root);
    assert.equal(await resolveInRoot(root, '/'), root);
  });
});

test('a loop (a→b→a) and the 41st link are too-many-links naming the path', async () => {
  await withDir(async (base) => {
    const root = await makeRoot(base);
    await assert.rejects(resolveInRoot(root, '/a'), tooManyLinks('/a'));
    await assert.rejects(resolveInRoot(root, '/a/x', { followLast: false }), tooManyLinks('/a/x'));
    assert.equal(await resolveInRoot(root, '/a', { followLast: false }), join(root, 'a'), 'a last link not followed is no loop');
    // chain/c1 → end, c<n> → c<n-1>: resolving c<n> follows n links.
    await mkdir(join(root, 'chain'));
    await writeFile(join(root, 'chain', 'end'), '');
    await symlink('end', join(root, 'chain', 'c1'));
    for (let n = 2; n <= MAX_SYMLINKS + 1; n++) await symlink(`c${n - 1}`, join(root, 'chain', `c${n}`));
    assert.equal(await resolveInRoot(root, `/chain/c${MAX_SYMLINKS}`), join(root, 'chain/end'));
    await assert.rejects(resolveInRoot(root, `/chain/c${MAX_SYMLINKS + 1}`), tooManyLinks(`/chain/c${MAX_SYMLINKS + 1}`));
  });
});

test('over layers the topmost layer with an entry decides, and the result is a path in the union', async () => {
  await withDir(async (base) => {
    const [upper, lower] = [join(base, 'upper'), join(base, 'lower')];
    await mkdir(join(upper, 'shadowed'), { recursive: true });
    await mkdir(join(lower, 'real'), { recursive: true });
    await symlink('/real', join(lower, 'link'));
    await symlink('/elsewhere', join(lower, 'shadowed'));
    await symlink('../../real', join(upper, 'top'));
    await symlink('/real', join(lower, 'top'));
    await symlink('loop', join(upper, 'loop'));
    const layers = [upper, lower];
    assert.equal(await resolveInLayers(layers, '/link/x'), '/real/x', 'a link only in the lower layer');
    assert.equal(await resolveInLayers(layers, '/shadowed/x'), '/shadowed/x', 'an upper directory hides a lower link');
    assert.equal(await resolveInLayers(layers, '/top/x'), '/real/x', 'the upper link wins, and cannot climb out');
    assert.equal(await resolveInLayers(layers, '/link', { followLast: false }), '/link');
    assert.equal(await resolveInLayers(layers, '/'), '/');
    await assert.rejects(resolveInLayers(layers, '/loop/x'), tooManyLinks('/loop/x'));
  });
});

test('the walk without I/O: each lookup names the resolved parents', () => {
  const links = new Map([['lib', 'usr/lib'], ['usr/lib/cur', '../lib64']]);
  const lookups: string[] = [];
  const steps = chrootWalk('/lib/cur/x', 'a map');
  let step = steps.next();
  while (step.done !== true) {
    lookups.push(step.value.join('/'));
    step = steps.next(links.get(step.value.join('/')));
  }
  assert.deepEqual(step.value, ['usr', 'lib64', 'x']);
  assert.deepEqual(lookups, ['lib', 'usr', 'usr/lib', 'usr/lib/cur', 'usr/lib64', 'usr/lib64/x']);
});
