import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInRoot } from './path-in-root.js';
import { readFileInRoot } from './read-file-in-root.js';

test('files are read through symlinks resolved inside the root, never above it', async () => {
  const base = await mkdtemp(join(tmpdir(), 'berth-rfir-'));
  try {
    const root = join(base, 'root');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(base, 'secret'), 'host secret');
    await writeFile(join(root, 'etc', 'real'), 'inside');
    await symlink('/etc/real', join(root, 'etc', 'abs'));
    await symlink('../../../../secret', join(root, 'etc', 'climb'));
    await symlink('loop', join(root, 'etc', 'loop'));
    assert.equal(await readFileInRoot(root, '/etc/abs'), 'inside');
    assert.equal(await resolveInRoot(root, '/etc/climb'), join(root, 'secret'));
    assert.equal(await readFileInRoot(root, '/etc/climb'), undefined);
    assert.equal(await readFileInRoot(root, '/etc/missing'), undefined);
    assert.equal(await readFileInRoot(root, '/etc'), undefined);
    await assert.rejects(readFileInRoot(root, '/etc/loop'), /too many levels/);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
