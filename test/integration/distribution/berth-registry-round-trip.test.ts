// berth push → berth's own registry → berth pull into a fresh state root, and the image runs:
// the engine client and the registry server against each other, on 127.0.0.1. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeServices } from '../../../src/daemon/node-services.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { berthAt, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

describe('berth push, berth registry, berth pull', { skip: needsRoot() }, () => {
  let work: string;
  let registry: RunningRegistry;
  let source: ImageService;
  let busyboxId: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-roundtrip-'));
    registry = await startRegistryServer({ root: join(work, 'registry'), addr: '127.0.0.1:0', gcIntervalMs: 0 });
    source = await openImageNode(join(work, 'source'));
    busyboxId = (await source.bootstrap('busybox')).id;
  });
  after(async () => {
    await source.close();
    await registry.close();
    await rm(work, { recursive: true, force: true });
  });

  test('an image pushed to berth\'s registry is pulled into a fresh root with the same id and runs', async () => {
    const host = new URL(registry.url).host;
    const name = `${host}/team/busybox:1`;
    source.tag('busybox', name);
    const pushed = await source.push(name);
    assert.match(pushed.digest, /^sha256:[0-9a-f]{64}$/);
    const tags = await (await fetch(`${registry.url}/v2/team/busybox/tags/list`)).json() as { tags: string[] };
    assert.deepEqual(tags.tags, ['1']);

    await sweepLeftovers();
    const fresh = await openImageNode(join(work, 'fresh'));
    const engine = (await openNodeServices(fresh, { cgroupParent: `/${testCgroupName()}` })).containers;
    try {
      const pulled = await fresh.pull(name);
      assert.equal(pulled.image.id, busyboxId);
      assert.equal(pulled.digest, pushed.digest);
      const { id } = await engine.create({ image: name, options: { cmd: ['sh', '-c', 'echo from-berth-registry'] } });
      const exited = engine.wait(id, 'next-exit');
      await engine.start(id);
      assert.equal((await exited).exitCode, 0);
      assert.deepEqual((await readLog(engine.paths.log(id))).map((e) => e.line), ['from-berth-registry']);
      await engine.remove(id, { force: true });
    } finally {
      engine.close();
      await fresh.close();
      await sweepLeftovers();
    }
  });

  test('berthd --registry-addr serves the registry next to the engine; berth push through berthd lands in it', async () => {
    const port = await freeLoopbackPort();
    const daemon = await BerthdProcess.start(join(work, 'daemon-root'), join(work, 'daemon.sock'), ['--registry-addr', `127.0.0.1:${port}`, '--cgroup-parent', `/${testCgroupName()}`]);
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/v2/`)).status, 200);
      const archive = join(work, 'busybox.tar');
      await source.save(['busybox'], 'docker-archive', { path: archive });
      const load = await berthAt(daemon.socketPath, ['load', '-i', archive]);
      assert.equal(load.code, 0, load.stderr);
      const name = `127.0.0.1:${port}/own/busybox:latest`;
      assert.equal((await berthAt(daemon.socketPath, ['tag', 'busybox', name])).code, 0);
      const push = await berthAt(daemon.socketPath, ['push', name]);
      assert.equal(push.code, 0, push.stderr);
      const catalog = await (await fetch(`http://127.0.0.1:${port}/v2/_catalog`)).json() as { repositories: string[] };
      assert.deepEqual(catalog.repositories, ['own/busybox']);
    } finally {
      await daemon.stop();
    }
  });
});
