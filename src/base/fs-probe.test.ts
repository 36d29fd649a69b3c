import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirEntries, lstatIfPresent, pathExists, readTextOr, statIfPresent } from './fs-probe.js';
import { componentLogger, installLogSink, type LogFields, type LogLevel } from './logger.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-fs-probe-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function capture(): { lines: { level: LogLevel; message: string; fields: LogFields }[]; restore: () => void } {
  const lines: { level: LogLevel; message: string; fields: LogFields }[] = [];
  const restore = installLogSink({ write: (level, message, fields) => { lines.push({ level, message, fields }); } });
  return { lines, restore };
}

const log = componentLogger('test');

test('present paths: their answers, nothing logged', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'file'), 'text');
    await symlink('file', join(dir, 'link'));
    const { lines, restore } = capture();
    try {
      assert.equal(await pathExists(join(dir, 'file'), log), true);
      assert.equal((await statIfPresent(join(dir, 'link'), log))?.isFile(), true);
      assert.equal((await lstatIfPresent(join(dir, 'link'), log))?.isSymbolicLink(), true);
      assert.deepEqual((await dirEntries(dir, log)).sort(), ['file', 'link']);
      assert.equal(await readTextOr(join(dir, 'file'), 'none', log), 'text');
    } finally {
      restore();
    }
    assert.deepEqual(lines, []);
  });
});

test('absent paths (ENOENT, ENOTDIR): absent answers, nothing logged', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'file'), 'text');
    const { lines, restore } = capture();
    try {
      assert.equal(await pathExists(join(dir, 'missing'), log), false);
      assert.equal(await pathExists(join(dir, 'file', 'below'), log), false);
      assert.equal(await statIfPresent(join(dir, 'missing'), log), undefined);
      assert.equal(await lstatIfPresent(join(dir, 'missing'), log), undefined);
      assert.deepEqual(await dirEntries(join(dir, 'missing'), log), []);
      assert.equal(await readTextOr(join(dir, 'missing'), 'none', log), 'none');
    } finally {
      restore();
    }
    assert.deepEqual(lines, []);
  });
});

test('any other failure: the absent answer, logged as a warning with the path', async () => {
  await withDir(async (dir) => {
    await mkdir(join(dir, 'sub'));
    const { lines, restore } = capture();
    try {
      // EISDIR: reading a directory as a file fails for another reason than absence (also as root).
      assert.equal(await readTextOr(join(dir, 'sub'), 'none', log), 'none');
    } finally {
      restore();
    }
    assert.deepEqual(lines.map((l) => [l.level, l.message, l.fields.component, l.fields.path]), [
      ['warn', 'reading a file failed', 'test', join(dir, 'sub')],
    ]);
  });
});
