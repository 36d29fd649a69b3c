// HostConfig fields of container create as dockerd takes them, berthd beside a private dockerd in
// the same test: GroupAdd, VolumesFrom, DeviceCgroupRules, MemorySwappiness, VolumeDriver,
// Isolation, CpuRealtimePeriod/Runtime — the effect inside the container (or in its cgroup on the
// host), inspect's HostConfig and the errors for bad values. Legacy links (Links) need the default
// bridge and are in api-fidelity-create-links.test.ts. Needs root, runc, conmon, dockerd, python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pythonOk, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';
import { api, cgroupFile, create, execOut, hostFields, removeAll, runOnce, start } from '../support/create-fields.js';

const CPU_RT = '/sys/fs/cgroup/cpu/cpu.rt_runtime_us';
const none = { NetworkMode: 'none' };

describe('create fields as dockerd takes them, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let hostDir: string;
  /** cgroup parents given a real-time budget by the test, and whether the test made them. */
  const budgeted: { dir: string; made: boolean }[] = [];
  before(async () => {
    pair = await SideBySide.start('berth-e2e-create-fields-');
    hostDir = await mkdtemp(join(tmpdir(), 'berth-e2e-bind-'));
    await writeFile(join(hostDir, 'f'), 'from the host\n');
  });
  after(async () => {
    await pair.close(async () => {
      for (const daemon of pair.daemons) await removeAll(daemon);
    });
    for (const { dir, made } of budgeted) {
      // The budget goes back to the root (a leftover parent would hold it); dockerd's parent is gone with dockerd.
      if (existsSync(dir)) await writeFile(join(dir, 'cpu.rt_runtime_us'), '0');
      if (made && existsSync(dir)) await rmdir(dir);
    }
    await rm(hostDir, { recursive: true, force: true });
  });
  /** The same scenario on both daemons: dockerd's answer first, then berthd's. */
  const onBoth = async <T>(scenario: (daemon: Daemon) => Promise<T>): Promise<[T, T]> => [await scenario(pair.daemon('dockerd')), await scenario(pair.daemon('berthd'))];
  /** dockerd's status and message; berthd's message says the same (after the field it names). */
  const sameRefusal = (dockerd: { status: number; message: string }, berth: { status: number; message: string }, text: string) => {
    assert.ok(dockerd.status >= 400 && berth.status >= 400, `${dockerd.status} ${berth.status}`);
    assert.ok(dockerd.message.includes(text), `dockerd: ${dockerd.message}`);
    assert.ok(berth.message.includes(text), `berthd: ${berth.message}`);
  };

  test('GroupAdd: names from the image and numbers, on the process and on exec processes', async () => {
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const id = await create(daemon, { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { ...none, GroupAdd: ['nobody', '1234'] } });
      const pid = await start(daemon, id);
      const groups = (await readFile(`/proc/${pid}/status`, 'utf8')).split('\n').find((l) => l.startsWith('Groups:'));
      return {
        groups, exec: await execOut(daemon, id, ['id', '-G']), execUser: await execOut(daemon, id, ['id', '-G'], '5:6'),
        inspect: await hostFields(daemon, id), cli: daemon.docker(['run', '--rm', '--network', 'none', '--group-add', '4321', 'busybox', 'id', '-G']).out,
      };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.exec, '0 1234 65534\n');
    assert.equal(dockerd.execUser, '6 1234 65534\n');
    const [viaDockerd, viaBerth] = await onBoth((daemon) => Promise.resolve(pythonOk(daemon.socketPath,
      "print(client.containers.run('busybox', 'id -G', group_add=['nobody'], network_mode='none', remove=True).decode(), end='')")));
    assert.equal(viaBerth, viaDockerd);
    const [badDockerd, badBerth] = await onBoth(async (daemon) => {
      const id = await create(daemon, { Image: 'busybox', Cmd: ['true'], HostConfig: { ...none, GroupAdd: ['audio'] } });
      return api(daemon, 'POST', `/containers/${id}/start`);
    });
    sameRefusal(badDockerd, badBerth, 'Unable to find group audio: no matching entries in group file');
  });

  test('VolumesFrom: volumes and binds at the same places, read-only with :ro; the source must exist', async () => {
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const source = await create(daemon, {
        Image: 'busybox', Cmd: ['sh', '-c', 'echo anon > /anon/a; echo named > /named/n'], Volumes: { '/anon': {} },
        HostConfig: { ...none, Binds: ['create-fields-named:/named', `${hostDir}:/bind:ro`] },
      }, 'vsrc');
      await runOnce(daemon, source);
      const rw = await create(daemon, {
        Image: 'busybox', Cmd: ['sh', '-c', 'cat /anon/a /named/n /bind/f; touch /anon/x && echo anon-rw; touch /bind/x 2>/dev/null || echo bind-ro'],
        HostConfig: { ...none, VolumesFrom: ['vsrc'] },
      });
      const ro = await create(daemon, {
        Image: 'busybox', Cmd: ['sh', '-c', 'cat /anon/x; touch /anon/y 2>/dev/null || echo anon-ro; touch /named/y 2>/dev/null || echo named-ro'],
        HostConfig: { ...none, VolumesFrom: ['vsrc:ro'] },
      });
      const mounts = (id: string) => api(daemon, 'GET', `/containers/${id}/json`).then((r) => (r.json.Mounts as { Type: string; Destination: string; RW: boolean }[])
        .map((m) => `${m.Type} ${m.Destination} ${m.RW}`).sort());
      return { rw: await runOnce(daemon, rw), ro: await runOnce(daemon, ro), mounts: await mounts(ro), inspect: await hostFields(daemon, ro) };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.rw.out, 'anon\nnamed\nfrom the host\nanon-rw\nbind-ro\n');
    assert.equal(dockerd.ro.out, 'anon-ro\nnamed-ro\n');
    for (const [spec, text] of [['nosuch', 'No such container: nosuch'], ['vsrc:rx', 'invalid mode: rx'], ['', 'volumes-from specification cannot be an empty string']] as const) {
      const [d, b] = await onBoth((daemon) => api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, VolumesFrom: [spec] } }));
      assert.equal(b.status, d.status, spec);
      sameRefusal(d, b, text);
    }
  });

  test('DeviceCgroupRules: an allow rule opens a device the defaults deny; a bad rule is refused', async () => {
    const probe = 'mknod /tmp/lc c 10 237; (exec 3</tmp/lc) 2>/dev/null && echo read-ok || echo read-denied; (exec 3>/tmp/lc) 2>/dev/null && echo write-ok || echo write-denied';
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const ruled = await create(daemon, { Image: 'busybox', Cmd: ['sh', '-c', probe], HostConfig: { ...none, DeviceCgroupRules: ['c 10:237 r'] } });
      const plain = await create(daemon, { Image: 'busybox', Cmd: ['sh', '-c', probe], HostConfig: none });
      return { ruled: await runOnce(daemon, ruled), plain: await runOnce(daemon, plain), inspect: await hostFields(daemon, ruled) };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.ruled.out, 'read-ok\nwrite-denied\n');
    assert.equal(dockerd.plain.out, 'read-denied\nwrite-denied\n');
    // dockerd refuses at start (500), berthd at create (400): the same message.
    const [d, b] = await onBoth(async (daemon) => {
      const created = await api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, DeviceCgroupRules: ['c 1:3'] } });
      return created.status === 201 ? api(daemon, 'POST', `/containers/${String(created.json.Id)}/start`) : created;
    });
    sameRefusal(d, b, "invalid device cgroup rule format: 'c 1:3'");
  });

  test("MemorySwappiness: the container's memory.swappiness; -1 and null are unset; out of range is refused", async () => {
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const id = await create(daemon, { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { ...none, MemorySwappiness: 17 } });
      const pid = await start(daemon, id);
      const unset = await create(daemon, { Image: 'busybox', HostConfig: { ...none, MemorySwappiness: -1 } });
      return { file: await readFile(await cgroupFile(pid, 'memory', 'memory.swappiness'), 'utf8'), set: await hostFields(daemon, id), unset: await hostFields(daemon, unset) };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.file.trim(), '17');
    for (const value of [101, -2]) {
      const [d, b] = await onBoth((daemon) => api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, MemorySwappiness: value } }));
      assert.equal(b.status, d.status);
      sameRefusal(d, b, `Invalid value: ${value}, valid memory swappiness range is 0-100`);
    }
  });

  test("VolumeDriver and Isolation: local and default are taken; another driver fails for the volumes it would create; other isolations are refused", async () => {
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const local = await create(daemon, { Image: 'busybox', Volumes: { '/data': {} }, HostConfig: { ...none, VolumeDriver: 'local', Isolation: 'default' } });
      const unused = await create(daemon, { Image: 'busybox', HostConfig: { ...none, VolumeDriver: 'nfs', Isolation: '' } });
      const refused = await api(daemon, 'POST', '/containers/create', { Image: 'busybox', Volumes: { '/data': {} }, HostConfig: { ...none, VolumeDriver: 'nfs' } });
      const named = await api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, VolumeDriver: 'nfs', Binds: ['fields-nfs:/data'] } });
      return {
        local: await hostFields(daemon, local), unused: await hostFields(daemon, unused),
        refused: { status: refused.status, message: refused.message.replace(/[0-9a-f]{64}/, 'NAME') }, named: { status: named.status, message: named.message },
      };
    });
    assert.deepEqual(berth, dockerd);
    assert.deepEqual(dockerd.refused, { status: 404, message: 'create NAME: error looking up volume plugin nfs: plugin "nfs" not found' });
    const [d, b] = await onBoth((daemon) => api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, Isolation: 'hyperv' } }));
    sameRefusal(d, b, `Invalid isolation: "hyperv" - linux only supports 'default'`);
  });

  test('CpuRealtimePeriod/Runtime: the cgroup gets them under a parent with a real-time budget; a runtime above the period is refused', async () => {
    if (!existsSync(CPU_RT)) {
      // No CONFIG_RT_GROUP_SCHED: refused at create.
      const refused = await api(pair.daemon('berthd'), 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, CpuRealtimeRuntime: 1000 } });
      assert.match(refused.message, /does not support CPU real-time scheduler/);
      return;
    }
    const body = { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { ...none, CpuRealtimePeriod: 1_000_000, CpuRealtimeRuntime: 50_000 } };
    // No budget in the parent: both fail at start, berthd saying why before runc does.
    const [d0, b0] = await onBoth(async (daemon) => api(daemon, 'POST', `/containers/${await create(daemon, body)}/start`));
    assert.ok(d0.status >= 400 && b0.status >= 400);
    assert.match(b0.message, /real-time runtime asked, but the cgroup parent .* has 0 µs/);
    const dockerdParent = (await readFile(join(pair.dockerd.baseDir, 'cgroup-parent'), 'utf8')).trim();
    for (const parent of [dockerdParent, pair.berth.cgroupParent]) {
      const dir = join('/sys/fs/cgroup/cpu', parent);
      budgeted.push({ dir, made: !existsSync(dir) });
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'cpu.rt_runtime_us'), '100000');
    }
    const [dockerd, berth] = await onBoth(async (daemon) => {
      const id = await create(daemon, body);
      const pid = await start(daemon, id);
      const read = async (file: string) => (await readFile(await cgroupFile(pid, 'cpu', file), 'utf8')).trim();
      return { period: await read('cpu.rt_period_us'), runtime: await read('cpu.rt_runtime_us'), inspect: await hostFields(daemon, id) };
    });
    assert.deepEqual(berth, dockerd);
    assert.deepEqual([dockerd.period, dockerd.runtime], ['1000000', '50000']);
    const [d, b] = await onBoth((daemon) => api(daemon, 'POST', '/containers/create', { Image: 'busybox', HostConfig: { ...none, CpuRealtimePeriod: 1000, CpuRealtimeRuntime: 2000 } }));
    sameRefusal(d, b, 'cpu real-time runtime cannot be higher than cpu real-time period');
  });
});
