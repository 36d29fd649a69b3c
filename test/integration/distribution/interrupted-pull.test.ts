// Pulls over a connection that fails in transit: a cut connection resumes with Range and the pull
// succeeds; a pull killed (SIGKILL) mid-download leaves the store as it was once it is reopened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { BERTH_BIN, needsRoot } from '../../support/berth-cli.js';
import { CncfRegistry, needsRegistry } from '../../support/cncf-registry.js';
import { FlakyProxy } from '../../support/flaky-proxy.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { eventually } from '../runtime/runtime-fixtures.js';
import { storeState } from '../images/store-state.js';

describe('interrupted pulls', { skip: needsRoot() || needsRegistry() }, () => {
  let work: string;
  let registry: CncfRegistry;
  let imageId: string;
  const repo = 'big/layer:1';

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-interrupted-'));
    registry = await CncfRegistry.start();
    const source = await openImageNode(join(work, 'source'));
    try {
      // Random bytes do not compress: the layer blob stays ~3 MB.
      const tar = await makeTar([{ name: 'noise.bin', content: randomBytes(3 * 1024 * 1024).toString('latin1') }]);
      imageId = (await source.import(Readable.from([tar]), { names: [`${registry.host}/${repo}`] })).id;
      await source.push(`${registry.host}/${repo}`);
    } finally {
      await source.close();
    }
  });
  after(async () => {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('a connection cut mid-layer is resumed with Range', async () => {
    const proxy = await FlakyProxy.start(registry.host, (_request, index) => (index === 1 ? { action: 'cut', afterBytes: 1024 * 1024 } : { action: 'pass' }));
    const service = await openImageNode(join(work, 'resumed'));
    try {
      // Blob request 0 is the config; 1 is the layer, cut after 1 MiB; 2 resumes it.
      const pulled = await service.pull(`${proxy.host}/${repo}`);
      assert.equal(pulled.image.id, imageId);
      // Resumed from what arrived (the bytes in flight when the socket died are lost).
      const offset = Number(/^bytes=(\d+)-$/.exec(proxy.blobRequests[2]?.range ?? '')?.[1]);
      assert.ok(offset > 0 && offset <= 1024 * 1024, JSON.stringify(proxy.blobRequests));
    } finally {
      await service.close();
      await proxy.stop();
    }
  });

  test('a pull killed mid-download leaves the store as it was', async () => {
    const root = join(work, 'killed');
    const seed = await openImageNode(root);
    await seed.bootstrap('busybox');
    await seed.close();
    const before_ = await storeState(root);
    const proxy = await FlakyProxy.start(registry.host, (_request, index) => (index === 1 ? { action: 'stall', afterBytes: 1536 * 1024 } : { action: 'pass' }));
    try {
      const child = spawn(process.execPath, [BERTH_BIN, '--root', root, 'pull', `${proxy.host}/${repo}`], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Past the first 1 MiB batch, so the kill usually finds a blob temp file and an unpack under way.
      await eventually('the layer download to stall', () => proxy.blobBytesSent >= 1536 * 1024 + 100, 60_000);
      child.kill('SIGKILL');
      await exited;
    } finally {
      await proxy.stop();
    }
    assert.deepEqual(await storeState(root), before_);
  });
});
