import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupLayout } from './cgroup-layout.js';
import { checkRealtimeBudget } from './cgroup-realtime.js';

test("a start asking for real-time runtime needs that much budget in its cgroup parent", async () => {
  const mount = await mkdtemp(join(tmpdir(), 'berth-rt-'));
  try {
    const layout: CgroupLayout = { mode: 'v1-hybrid', v1: new Map([['cpu', mount]]), v1Named: new Map(), unified: undefined };
    await assert.rejects(checkRealtimeBudget(layout, '/berth/c1', 1000), {
      kind: 'failed-precondition', reason: 'realtime-budget', message: new RegExp(`cgroup parent /berth has 0 µs \\(${mount}/berth/cpu.rt_runtime_us\\)`),
    });
    await mkdir(join(mount, 'berth'));
    await writeFile(join(mount, 'berth', 'cpu.rt_runtime_us'), '500\n');
    await assert.rejects(checkRealtimeBudget(layout, '/berth/c1', 1000), /has 500 µs/);
    await checkRealtimeBudget(layout, '/berth/c1', 500);
    await checkRealtimeBudget(layout, '/berth/c1', 0);
    await checkRealtimeBudget({ ...layout, v1: new Map() }, '/berth/c1', 1000);
  } finally {
    await rm(mount, { recursive: true, force: true });
  }
});
