// What a container cannot see or do, and the limits the kernel enforces on it. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { cgroupDirs } from '../../../src/runtime/cgroup-layout.js';
import { EngineFixture, eventually, skipReason } from './engine-fixture.js';

describe('isolation', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('only its own processes, its own hostname, no host paths or devices', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'ps -o pid,comm | tail -n +2 | wc -l; hostname; ls /dev | tr "\\n" " "; echo; awk "{print \\$5}" /proc/self/mountinfo'] });
    const [processes, name, devices, ...mountPoints] = r.stdout.trim().split('\n');
    // sh, ps, tail, wc: the pipeline itself, nothing of the host.
    assert.ok(Number(processes) <= 4, `processes: ${processes}`);
    assert.notEqual(name, hostname());
    assert.equal(name, r.id.slice(0, 12));
    for (const device of ['sda', 'vda', 'mem', 'kmsg', 'port']) assert.ok(!(devices ?? '').split(' ').includes(device), devices);
    // Only the container's own mounts: its root, /proc, /dev, /sys and the three etc files.
    assert.ok(mountPoints.length >= 5);
    for (const point of mountPoints) assert.match(point, /^\/((proc|dev|sys)(\/.*)?|etc\/(hosts|hostname|resolv\.conf))?$/);
  });

  test('cannot mount, load modules, write /sys, or open a host device it made', async () => {
    const r = await f.run({
      cmd: ['sh', '-c', [
        'mkdir -p /tmp/m; mount -t tmpfs none /tmp/m 2>/dev/null && echo mounted',
        'insmod /lib/modules/x.ko 2>/dev/null && echo loaded',
        'grep CapEff /proc/self/status',
        '(echo 1 > /sys/kernel/mm/ksm/run) 2>/dev/null && echo wrote-sys',
        'mknod /tmp/disk b 8 0 && head -c1 /tmp/disk >/dev/null 2>&1 && echo read-disk',
        'cat /proc/kcore 2>/dev/null | head -c1 | wc -c',
        'echo done',
      ].join('; ')],
    });
    const lines = r.stdout.trim().split('\n');
    assert.ok(!lines.includes('mounted') && !lines.includes('loaded') && !lines.includes('wrote-sys') && !lines.includes('read-disk'), r.stdout);
    // Docker's 14 default capabilities: no CAP_SYS_ADMIN (bit 21) or CAP_SYS_MODULE (bit 16).
    const capEff = BigInt(`0x${(/CapEff:\s*([0-9a-f]+)/.exec(r.stdout)?.[1]) ?? '0'}`);
    assert.equal(capEff & (1n << 21n), 0n);
    assert.equal(capEff & (1n << 16n), 0n);
    assert.equal(lines.at(-2), '0');
    assert.equal(lines.at(-1), 'done');
  });

  test('--read-only root, --cap-drop and seccomp: what they forbid fails', async () => {
    const r = await f.run({ readOnly: true, capDrop: ['CHOWN'], cmd: ['sh', '-c', 'touch /x 2>/dev/null || echo ro; touch /tmp/x 2>/dev/null || echo ro-tmp; chown 1 /dev/null 2>/dev/null || echo nochown; unshare -U true 2>/dev/null || echo nounshare'] });
    assert.deepEqual(r.stdout.trim().split('\n'), ['ro', 'ro-tmp', 'nochown', 'nounshare']);
  });

  test('--privileged can mount', async () => {
    const r = await f.run({ privileged: true, cmd: ['sh', '-c', 'mkdir -p /tmp/m; mount -t tmpfs none /tmp/m && echo mounted'] });
    assert.equal(r.stdout, 'mounted\n', r.stderr);
  });
});

describe('limits', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('a memory hog is OOM-killed and reported', async () => {
    const r = await f.run({ memory: 16 * 1024 * 1024, cmd: ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'] });
    assert.equal(r.exitCode, 137);
    assert.equal(f.engine.inspect(r.id).state.oomKilled, true);
  });

  test('a fork bomb stops at the pids limit', async () => {
    const r = await f.run({ pidsLimit: 8, cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do sleep 1000 & done; echo survived'] });
    assert.match(r.stderr, /can't fork/);
    assert.notEqual(r.stdout, 'survived\n');
  });

  test('a CPU quota throttles a busy loop', async () => {
    const id = await f.create({ nanoCpus: 100_000_000, cmd: ['sh', '-c', 'while :; do :; done'] });
    await f.engine.start(id);
    const dirs = cgroupDirs(f.engine.host.cgroups, `${f.cgroupParent}/${id}`);
    const cpuDir = dirs.v1.get('cpu') ?? dirs.unified ?? '';
    const throttled = async (): Promise<number> => Number(/nr_throttled (\d+)/.exec(await readFile(`${cpuDir}/cpu.stat`, 'utf8'))?.[1] ?? 0);
    await eventually('the loop to be throttled', async () => (await throttled()) > 0);
    const quota = dirs.v1.has('cpu') ? (await readFile(`${cpuDir}/cpu.cfs_quota_us`, 'utf8')).trim() : (await readFile(`${cpuDir}/cpu.max`, 'utf8')).split(' ')[0];
    assert.equal(quota, '10000');
    await f.engine.remove(id, { force: true });
  });

  test('ulimits are applied and clamped to the daemon hard limit', async () => {
    const r = await f.run({ ulimits: [{ name: 'nofile', soft: 512, hard: 1024 }], cmd: ['sh', '-c', 'ulimit -n; ulimit -Hn'] });
    assert.deepEqual(r.stdout.trim().split('\n'), ['512', '1024']);
  });
});
