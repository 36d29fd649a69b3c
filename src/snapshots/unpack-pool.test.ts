import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack as tarPack } from 'tar-stream';
import type { Timers } from '../base/clock.js';
import { UnpackPool } from './unpack-pool.js';

async function tarWith(name: string, text: string): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name, mode: 0o644 }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Timers that fire only when the test says: the pending calls, each with its delay. */
class HandTimers implements Timers {
  readonly pending = new Set<{ ms: number; fn: () => void }>();
  after(ms: number, fn: () => void): () => void {
    const call = { ms, fn };
    this.pending.add(call);
    return () => { this.pending.delete(call); };
  }
  fireAll(): void {
    for (const call of [...this.pending]) {
      this.pending.delete(call);
      call.fn();
    }
  }
}

/** Unpacks a one-file layer through the pool and checks the file arrived. */
async function unpackOne(pool: UnpackPool, dirs: string[], text: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-unpack-pool-'));
  dirs.push(dir);
  const feed = await pool.open(dir, false);
  await feed.write(await tarWith('hello.txt', text));
  await feed.finish();
  assert.equal(await readFile(join(dir, 'hello.txt'), 'utf8'), text);
}

test('a worker left idle ends when its idle time is up; the next layer starts a new one', async () => {
  const timers = new HandTimers();
  const pool = new UnpackPool(1, 5_000, timers);
  const dirs: string[] = [];
  try {
    for (const round of ['first', 'second']) {
      await unpackOne(pool, dirs, round);
      assert.equal(pool.workers, 1);
      assert.deepEqual([...timers.pending].map((call) => call.ms), [5_000], 'one idle timer, of the pool\'s idle time');
      timers.fireAll();
      assert.equal(pool.workers, 0, 'the idle worker ended');
    }
  } finally {
    await pool.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});

test('a worker taken again before its idle time is up keeps running; close cancels the idle timer', async () => {
  const timers = new HandTimers();
  const pool = new UnpackPool(1, 5_000, timers);
  const dirs: string[] = [];
  try {
    for (const round of ['first', 'second', 'third']) {
      await unpackOne(pool, dirs, round);
      assert.equal(pool.workers, 1);
      assert.equal(timers.pending.size, 1, 'taking the worker again cancelled its earlier idle timer');
    }
    await pool.close();
    assert.equal(timers.pending.size, 0);
    assert.equal(pool.workers, 0);
  } finally {
    await pool.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
