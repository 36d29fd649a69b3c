import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../store/database.js';
import { EVENT_TABLES } from './event-tables.js';
import { EventLog } from './event-log.js';
import type { NodeEvent } from './event-types.js';

function withLog(options: ConstructorParameters<typeof EventLog>[1], work: (log: EventLog, clock: { t: number }) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
    const db = Database.open(join(dir, 'berth.db'), { tables: [EVENT_TABLES] });
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    try {
      await work(new EventLog(db, { clock: { now: () => new Date(clock.t) }, pollMs: 10, ...options }), clock);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const actor = (id: string) => ({ id, attributes: { name: `n-${id}` } });

test('record persists in order with strictly increasing times; read by since/until', withLog({}, (log, clock) => {
  const a = log.record('container', 'create', actor('a'));
  const b = log.record('container', 'start', actor('a'));
  clock.t += 60_000;
  const c = log.record('image', 'tag', actor('sha256:x'));
  assert.ok(b.timeNano > a.timeNano);
  assert.deepEqual(log.read().map((e) => e.action), ['create', 'start', 'tag']);
  assert.deepEqual(log.read({ sinceNs: c.timeNano }).map((e) => e.action), ['tag']);
  assert.deepEqual(log.read({ untilNs: b.timeNano }).map((e) => e.action), ['create', 'start']);
  assert.deepEqual(log.read({ afterSeq: a.seq }).map((e) => e.seq), [b.seq, c.seq]);
  assert.equal(log.read()[0]?.actor.attributes.name, 'n-a');
  assert.equal(log.lastSeq(), c.seq);
}));

test('retention by count keeps the newest; seq never repeats', withLog({ maxCount: 3 }, (log) => {
  for (let i = 0; i < 10; i++) log.record('container', `a${i}`, actor('x'));
  assert.deepEqual(log.read().map((e) => e.action), ['a7', 'a8', 'a9']);
  assert.equal(log.lastSeq(), 10);
}));

test('retention by age drops old events', withLog({ maxAgeMs: 1000 }, (log, clock) => {
  log.record('container', 'old', actor('x'));
  clock.t += 5000;
  log.record('container', 'new', actor('x'));
  assert.deepEqual(log.read().map((e) => e.action), ['new']);
}));

test('follow: history then live events with no gap, filtered, ends at until', withLog({}, async (log, clock) => {
  const first = log.record('container', 'create', actor('a'));
  log.record('image', 'tag', actor('i'));
  const seen: NodeEvent[] = [];
  const aborter = new AbortController();
  const done = log.follow({ sinceNs: first.timeNano, filters: new Map([['type', ['container']]]), signal: aborter.signal }, (e) => {
    seen.push(e);
    // Recorded while the follower is busy writing: must come next, not be lost.
    if (e.action === 'create') log.record('container', 'start', actor('a'));
    if (e.action === 'die') aborter.abort();
  });
  await new Promise((r) => setTimeout(r, 20));
  const die = log.record('container', 'die', actor('a'));
  await done;
  assert.deepEqual(seen.map((e) => e.action), ['create', 'start', 'die']);

  clock.t += 1000;
  const pastUntil = die.timeNano;
  const history: string[] = [];
  await log.follow({ sinceNs: first.timeNano, untilNs: pastUntil }, (e) => { history.push(e.action); });
  assert.deepEqual(history, ['create', 'tag', 'start', 'die']);
}));

test('follow without since sees only new events; a future until ends the stream', withLog({}, async (log, clock) => {
  log.record('container', 'before', actor('a'));
  const seen: string[] = [];
  const realStart = Date.now();
  const until = BigInt(clock.t + 50) * 1_000_000n;
  const done = log.follow({ untilNs: until }, (e) => { seen.push(e.action); });
  log.record('container', 'during', actor('a'));
  setTimeout(() => { clock.t += 100; }, 30);
  await done;
  assert.deepEqual(seen, ['during']);
  assert.ok(Date.now() - realStart < 30_000);
}));
