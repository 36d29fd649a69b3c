import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualTime, settle as settleTurns } from '../../../test/support/manual-time.js';
import { RescanLoop } from './rescan-loop.js';

function failOnError(err: unknown): void {
  assert.fail(`a pass failed: ${String(err)}`);
}

const settle = (): Promise<void> => settleTurns(5);

/** A pass that records its kind and finishes only when released. */
function gatedPasses() {
  const passes: boolean[] = [];
  const gates: (() => void)[] = [];
  const pass = (full: boolean): Promise<void> => {
    passes.push(full);
    return new Promise((resolve) => { gates.push(resolve); });
  };
  const release = async (): Promise<void> => {
    gates.shift()?.();
    await settle();
  };
  return { passes, pass, release };
}

test('checks at start and every check interval; a full rescan every rescan interval', async () => {
  const timers = new ManualTime(0, 5);
  const passes: boolean[] = [];
  const loop = new RescanLoop({ timers, checkIntervalMs: 1000, rescanIntervalMs: 3500, pass: (full) => { passes.push(full); return Promise.resolve(); }, onError: failOnError });
  loop.start();
  await settle();
  assert.deepEqual(passes, [false]);
  await timers.advance(3000);
  assert.deepEqual(passes, [false, false, false, false]);
  await timers.advance(500);
  assert.deepEqual(passes, [false, false, false, false, true]);
  await loop.close();
  assert.equal(timers.armed, 0);
  await timers.advance(10_000);
  assert.equal(passes.length, 5);
});

test('requests during a pass merge into one more pass, full if any was', async () => {
  const timers = new ManualTime(0, 5);
  const gated = gatedPasses();
  const loop = new RescanLoop({ timers, checkIntervalMs: 1000, rescanIntervalMs: 2000, pass: gated.pass, onError: failOnError });
  loop.start();
  await settle();
  assert.deepEqual(gated.passes, [false]);
  loop.checkNow();
  await timers.advance(2000); // two checks and a full rescan, all while the first pass runs
  assert.deepEqual(gated.passes, [false]);
  await gated.release();
  assert.deepEqual(gated.passes, [false, true]);
  await gated.release();
  assert.deepEqual(gated.passes, [false, true]);
  loop.checkNow();
  await settle();
  assert.deepEqual(gated.passes, [false, true, false]);
  const closed = loop.close();
  let done = false;
  void closed.then(() => { done = true; });
  await settle();
  assert.equal(done, false, 'close waits for the pass that runs');
  await gated.release();
  await closed;
  loop.checkNow();
  await settle();
  assert.equal(gated.passes.length, 3);
});

test('a rescan interval of 0 schedules no full rescans; a failed pass is reported and the loop goes on', async () => {
  const timers = new ManualTime(0, 5);
  const passes: boolean[] = [];
  const failures: unknown[] = [];
  const loop = new RescanLoop({
    timers, checkIntervalMs: 100, rescanIntervalMs: 0, onError: (err) => { failures.push(err); },
    pass: (full) => { passes.push(full); return passes.length === 1 ? Promise.reject(new Error('database busy')) : Promise.resolve(); },
  });
  loop.start();
  await timers.advance(1000);
  assert.equal(passes.length, 11);
  assert.ok(passes.every((full) => !full));
  assert.equal(failures.length, 1);
  await loop.close();
});
