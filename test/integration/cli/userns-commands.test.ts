// `--userns` through the CLI and berthd: a berthd started with `--userns-default auto` puts
// containers in their own user namespace unless `--userns host`; inspect shows the mode and the
// mappings. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { CliFixture, needsRoot } from './cli-fixture.js';

interface Inspected { HostConfig: { UsernsMode: string }; UserNamespace: { UidMap: { ContainerID: number; HostID: number; Size: number }[] } | null }

describe('berth CLI: --userns through berthd --userns-default auto', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => {
    f = await CliFixture.start(['--userns-default', 'auto']);
    // mkdtemp makes it 0700: the containers' roots must be able to pass through to their rootfs.
    await chmod(f.work, 0o711);
  });
  after(async () => { await f.cleanup(); });

  test('the default is its own user namespace; --userns host keeps the host\'s; inspect shows both', async () => {
    const mapped = (await f.ok(['run', '--name', 'mapped', '--network', 'none', 'busybox', 'sh', '-c', 'cat /proc/self/uid_map; id -u'])).trim().split('\n');
    const [auto] = JSON.parse(await f.ok(['inspect', 'mapped'])) as Inspected[];
    assert.equal(auto?.HostConfig.UsernsMode, 'auto');
    const map = auto.UserNamespace?.UidMap[0];
    assert.ok(map !== undefined && map.HostID >= 65536);
    assert.deepEqual(mapped[0]?.trim().split(/\s+/).map(Number), [0, map.HostID, 65536]);
    assert.equal(mapped[1], '0');

    const host = (await f.ok(['run', '--rm', '--userns', 'host', '--network', 'none', 'busybox', 'cat', '/proc/self/uid_map'])).trim();
    assert.deepEqual(host.split(/\s+/).map(Number), [0, 0, 4294967295]);
    await f.ok(['create', '--name', 'plain', '--userns', 'host', '--network', 'none', 'busybox', 'true']);
    const [plain] = JSON.parse(await f.ok(['inspect', 'plain'])) as Inspected[];
    assert.deepEqual([plain?.HostConfig.UsernsMode, plain?.UserNamespace], ['', null]);

    // exec joins the container's user namespace.
    await f.ok(['run', '-d', '--name', 'svc', '--network', 'none', 'busybox', 'sleep', '600']);
    const [svc] = JSON.parse(await f.ok(['inspect', 'svc'])) as Inspected[];
    const inside = (await f.ok(['exec', 'svc', 'sh', '-c', 'id -u; cat /proc/self/uid_map'])).trim().split('\n');
    assert.equal(inside[0], '0');
    assert.equal(Number(inside[1]?.trim().split(/\s+/)[1]), svc?.UserNamespace?.UidMap[0]?.HostID);
    assert.notEqual(svc?.UserNamespace?.UidMap[0]?.HostID, map.HostID, 'two containers, two ranges');

    const bad = await f.cli(['create', '--userns', 'keep-id', 'busybox', 'true']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /HostConfig\.UsernsMode/);
  });
});
