import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pack as tarPack } from 'tar-stream';
import { UnpackPool } from './unpack-pool.js';

async function tarWith(name: string, text: string): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name, mode: 0o644 }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

test('a worker idle for idleMs ends; the next layer starts a new one', async () => {
  const pool = new UnpackPool(1, 50);
  const dirs: string[] = [];
  try {
    for (const round of ['first', 'second']) {
      const dir = await mkdtemp(join(tmpdir(), 'berth-unpack-pool-'));
      dirs.push(dir);
      const feed = await pool.open(dir, false);
      await feed.write(await tarWith('hello.txt', round));
      await feed.finish();
      assert.equal(await readFile(join(dir, 'hello.txt'), 'utf8'), round);
      assert.equal(pool.workers, 1);
      assert.ok(await until(() => pool.workers === 0, 5_000), 'the idle worker ended');
    }
  } finally {
    await pool.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});

test('a worker taken again before idleMs passed keeps running', async () => {
  const pool = new UnpackPool(1, 300);
  const dirs: string[] = [];
  try {
    for (const round of ['first', 'second', 'third']) {
      const dir = await mkdtemp(join(tmpdir(), 'berth-unpack-pool-'));
      dirs.push(dir);
      const feed = await pool.open(dir, false);
      await feed.write(await tarWith('hello.txt', round));
      await feed.finish();
      await sleep(100);
      assert.equal(pool.workers, 1);
    }
  } finally {
    await pool.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
