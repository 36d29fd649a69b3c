import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLog, readLog } from './log-reader.js';

const line = (sec: number, stream: string, tag: string, text: string): string =>
  `2024-01-02T03:04:${String(sec).padStart(2, '0')}.000000001+00:00 ${stream} ${tag} ${text}\n`;

test('readLog filters by since, until, tail and stream; skips a torn last line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-log-'));
  try {
    const path = join(dir, 'ctr.log');
    assert.deepEqual(await readLog(path), []);
    await writeFile(path, line(1, 'stdout', 'F', 'a') + line(2, 'stderr', 'F', 'b') + line(3, 'stdout', 'P', 'c')
      + line(4, 'stdout', 'F', 'd') + '2024-01-02T03:04:05Z stdout F tor');
    assert.deepEqual((await readLog(path)).map((e) => e.line), ['a', 'b', 'cd']);
    const t2 = 1704164642000000001n;
    assert.deepEqual((await readLog(path, { sinceNs: t2 })).map((e) => e.line), ['b', 'cd']);
    assert.deepEqual((await readLog(path, { untilNs: t2 })).map((e) => e.line), ['a', 'b']);
    assert.deepEqual((await readLog(path, { tail: 1 })).map((e) => e.line), ['cd']);
    assert.deepEqual((await readLog(path, { tail: 0 })).map((e) => e.line), []);
    assert.deepEqual((await readLog(path, { streams: ['stderr'] })).map((e) => e.line), ['b']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('followLog yields old entries (tail), appended ones, and restarts on a replaced file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-log-'));
  const ac = new AbortController();
  try {
    const path = join(dir, 'ctr.log');
    await writeFile(path, line(1, 'stdout', 'F', 'old1') + line(2, 'stdout', 'F', 'old2'));
    const seen: string[] = [];
    const it = followLog(path, ac.signal, { tail: 1 });
    const next = async (): Promise<string> => {
      const r = await it.next();
      if (r.done === true) throw new Error('followLog ended early');
      return r.value.line;
    };
    seen.push(await next());
    await appendFile(path, line(3, 'stdout', 'P', 'new'));
    await appendFile(path, line(3, 'stdout', 'F', '-joined'));
    seen.push(await next());
    await writeFile(join(dir, 'ctr.log.tmp'), line(4, 'stderr', 'F', 'after-rotate'));
    await rename(join(dir, 'ctr.log.tmp'), path);
    seen.push(await next());
    assert.deepEqual(seen, ['old2', 'new-joined', 'after-rotate']);
    const pending = it.next();
    ac.abort();
    assert.equal((await pending).done, true);
  } finally {
    ac.abort();
    await rm(dir, { recursive: true, force: true });
  }
});

test('followLog, once the container is done, yields a last line it never ended, marked partial', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-log-'));
  const ac = new AbortController();
  try {
    const path = join(dir, 'ctr.log');
    await writeFile(path, line(1, 'stdout', 'F', 'whole') + line(2, 'stderr', 'P', 'no-newline'));
    const seen: [string, string, boolean][] = [];
    for await (const entry of followLog(path, ac.signal, {}, Promise.resolve())) seen.push([entry.stream, entry.line, entry.partial === true]);
    assert.deepEqual(seen, [['stdout', 'whole', false], ['stderr', 'no-newline', true]]);
  } finally {
    ac.abort();
    await rm(dir, { recursive: true, force: true });
  }
});
