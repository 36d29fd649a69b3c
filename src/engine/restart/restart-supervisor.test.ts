import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timers } from '../../base/clock.js';
import { Database } from '../../store/database.js';
import { CONTAINER_TABLES } from '../container-tables.js';
import { ContainerEvents } from '../container-events.js';
import { initialState, type ContainerRecord, type ContainerState } from '../container-record.js';
import { ContainerStore } from '../container-store.js';
import { RestartSupervisor } from './restart-supervisor.js';
import type { RestartPolicy } from './restart-policy.js';

/** Timers that only run when the test says so; they record the delays asked for. */
class ManualTimers implements Timers {
  readonly pending: { ms: number; fn: () => void }[] = [];
  after(ms: number, fn: () => void): () => void {
    const entry = { ms, fn };
    this.pending.push(entry);
    return () => { this.pending.splice(this.pending.indexOf(entry), 1); };
  }
  async fire(): Promise<number> {
    const entry = this.pending.shift();
    assert.ok(entry, 'a pending timer');
    entry.fn();
    await new Promise((resolve) => setImmediate(resolve));
    return entry.ms;
  }
}

function setup(policy: RestartPolicy) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-restart-'));
  const db = Database.open(join(dir, 'berth.db'), { tables: [CONTAINER_TABLES] });
  const store = new ContainerStore(db);
  const events = new ContainerEvents();
  const timers = new ManualTimers();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => new Date(now) };
  const record: ContainerRecord = {
    id: 'c1', name: 'c1', imageId: 'sha256:x', createdAt: new Date(now).toISOString(), state: initialState(),
    config: { image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true, log: { maxSize: -1 }, restartPolicy: policy },
  };
  store.insert(record);
  const starts: number[] = [];
  const supervisor = new RestartSupervisor(store, events, timers, clock, {
    locked: (_id, work) => work(),
    start: (r) => {
      starts.push(r.state.restartCount);
      store.setState(r.id, { ...r.state, status: 'running', startedAt: new Date(now).toISOString() });
      return Promise.resolve();
    },
  });
  /** The container ran `ranMs` since its start and exited with `code`. */
  const exit = (code: number, ranMs: number): void => {
    now += ranMs;
    const current = store.find('c1')?.state ?? initialState();
    const state: ContainerState = { ...current, status: 'exited', exitCode: code, finishedAt: new Date(now).toISOString() };
    store.setState('c1', state);
    events.emit('exit', 'c1', state);
  };
  const done = (): void => { supervisor.close(); db.close(); rmSync(dir, { recursive: true, force: true }); };
  return { store, timers, supervisor, exit, starts, done, setStarted: () => { store.setState('c1', { ...initialState(), status: 'running', startedAt: new Date(now).toISOString() }); } };
}

test('backoff with the injected timers: 100 ms doubling, back to 100 ms after a run of 10 s', async () => {
  const t = setup({ name: 'always', maximumRetryCount: 0 });
  try {
    t.setStarted();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      t.exit(1, 50);
      assert.equal(t.store.find('c1')?.state.status, 'restarting');
      delays.push(await t.timers.fire());
    }
    t.exit(0, 10_000);
    delays.push(await t.timers.fire());
    assert.deepEqual(delays, [100, 200, 400, 800, 100]);
    assert.deepEqual(t.starts, [1, 2, 3, 4, 5]);
  } finally {
    t.done();
  }
});

test('on-failure:2 stops after two restarts; a clean exit is not restarted', async () => {
  const t = setup({ name: 'on-failure', maximumRetryCount: 2 });
  try {
    t.setStarted();
    t.exit(3, 10);
    await t.timers.fire();
    t.exit(3, 10);
    await t.timers.fire();
    t.exit(3, 10);
    assert.equal(t.timers.pending.length, 0);
    assert.deepEqual([t.store.find('c1')?.state.status, t.store.find('c1')?.state.restartCount], ['exited', 2]);
  } finally {
    t.done();
  }
});

test('a manual stop noted before the exit keeps it stopped and is persisted; settle cancels a pending restart', async () => {
  const t = setup({ name: 'unless-stopped', maximumRetryCount: 0 });
  try {
    t.setStarted();
    t.supervisor.noteManualStop('c1');
    t.exit(137, 10);
    assert.equal(t.timers.pending.length, 0);
    assert.equal(t.store.find('c1')?.state.manuallyStopped, true);
    t.supervisor.noteManualStart('c1');
    t.setStarted();
    t.exit(1, 10);
    assert.equal(t.timers.pending.length, 1);
    const record = t.store.find('c1');
    assert.ok(record !== undefined);
    assert.equal(t.supervisor.settle(record), true);
    assert.equal(t.timers.pending.length, 0);
    assert.deepEqual([t.store.find('c1')?.state.status, t.store.find('c1')?.state.manuallyStopped], ['exited', true]);
    await t.supervisor.atBoot();
    assert.deepEqual(t.starts, [], 'unless-stopped stays stopped at boot after a manual stop');
  } finally {
    t.done();
  }
});
