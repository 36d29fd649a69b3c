// Resource limits of a busybox container through conmon + runc: memory (OOM kill) and pids.
// Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readCgroupMemory } from '../../../src/runtime/cgroup-memory.js';
import { waitForExit, wasOomKilled } from '../../../src/runtime/exit-file.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { stopContainer } from '../../../src/runtime/stop-container.js';
import { RuntimeFixture, skipReason } from './runtime-fixtures.js';

const MiB = 1024 * 1024;
const BOUND = (): AbortSignal => AbortSignal.timeout(120_000);

describe('container resource limits', { skip: skipReason() }, () => {
  let f: RuntimeFixture;
  before(async () => { f = await RuntimeFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('memory limit: readable from the cgroup; a hog is OOM-killed with 137 and an oom file', async () => {
    const memory = { limit: 32 * MiB, swap: 32 * MiB };
    const idle = await f.launch('memidle', ['sleep', '1000'], { memory });
    await f.runc.start(idle.id);
    const stats = await readCgroupMemory(f.layout, idle.cgroupsPath);
    assert.equal(stats.limitBytes, 32 * MiB);
    assert.ok(stats.usageBytes > 0 && stats.usageBytes < 32 * MiB, `usage ${stats.usageBytes}`);
    assert.equal(stats.oomKills, 0);
    await stopContainer({ runc: f.runc, id: idle.id, exitDir: idle.exitDir, timeoutMs: 0, signal: BOUND() });
    await f.remove(idle);

    // The shell keeps the whole 100 MB string: it is the biggest process and PID 1.
    const hog = await f.launch('memhog', ['sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo ${#x}'], { memory });
    await f.runc.start(hog.id);
    assert.equal(await waitForExit(hog.exitDir, hog.id, BOUND()), 137);
    assert.equal(await wasOomKilled(hog.persistDir), true);
    assert.ok((await readCgroupMemory(f.layout, hog.cgroupsPath)).oomKills >= 1);
    assert.deepEqual((await readLog(hog.logPath, { streams: ['stdout'] })).map((e) => e.line), []);
    await f.remove(hog);
  });

  test('pids limit 20: a fork loop cannot start 30 sleeps', async () => {
    const script = 'i=0; while [ $i -lt 30 ]; do sleep 100 & i=$((i+1)); echo $i; done; echo all-spawned';
    const c = await f.launch('forks', ['sh', '-c', script], { pids: { limit: 20 } });
    await f.runc.start(c.id);
    const code = await waitForExit(c.exitDir, c.id, BOUND());
    const entries = await readLog(c.logPath);
    const counts = entries.filter((e) => e.stream === 'stdout' && /^\d+$/.test(e.line)).map((e) => Number(e.line));
    const spawned = Math.max(0, ...counts);
    assert.ok(spawned < 25 && spawned >= 10, `spawned ${spawned} (exit ${code}): ${JSON.stringify(entries.map((e) => e.line))}`);
    assert.ok(entries.some((e) => e.stream === 'stderr' && /fork/i.test(e.line)), 'the shell reported the failed fork');
    assert.equal(entries.some((e) => e.line === 'all-spawned'), false);
    await f.remove(c);
  });
});
