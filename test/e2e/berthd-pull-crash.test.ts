// berthd killed (SIGKILL) in the middle of a pull: after a restart the store is exactly as it
// was before the pull, and the same pull then succeeds. Needs root and docker-registry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImageService } from '../../src/images/image-service.js';
import { berthAt, needsRoot } from '../support/berth-cli.js';
import { BerthdProcess } from '../support/berthd-process.js';
import { CncfRegistry, needsRegistry } from '../support/cncf-registry.js';
import { FlakyProxy } from '../support/flaky-proxy.js';
import { makeTar } from '../support/oci-fixtures.js';
import { eventually } from '../integration/runtime/runtime-fixtures.js';
import { storeState } from '../integration/images/store-state.js';

describe('berthd killed mid-pull', { skip: needsRoot() || needsRegistry() }, () => {
  let work: string;
  let registry: CncfRegistry;
  const name = 'crash/layer:1';

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-pull-crash-'));
    registry = await CncfRegistry.start();
    const source = await ImageService.open(join(work, 'source'));
    try {
      const tar = await makeTar([{ name: 'noise.bin', content: randomBytes(2 * 1024 * 1024).toString('latin1') }]);
      await source.import(Readable.from([tar]), { names: [`${registry.host}/${name}`] });
      await source.push(`${registry.host}/${name}`);
    } finally {
      await source.close();
    }
  });
  after(async () => {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('the store is as it was after the restart; the pull then works', async () => {
    const root = join(work, 'root');
    const seed = await ImageService.open(root);
    await seed.bootstrap('busybox');
    await seed.close();
    const before_ = await storeState(root);
    const proxy = await FlakyProxy.start(registry.host, (_request, index) => (index === 1 ? { action: 'stall', afterBytes: 256 * 1024 } : { action: 'pass' }));
    const socket = join(work, 'run', 'berth.sock');
    let daemon = await BerthdProcess.start(root, socket);
    try {
      // The pull's answer never ends (the layer stalls); berthd dies under it.
      const req = request({ socketPath: socket, method: 'POST', path: `/images/create?fromImage=${proxy.host}/crash/layer&tag=1` }, (res) => res.resume());
      req.on('error', () => undefined);
      req.end();
      await eventually('the layer download to stall', () => proxy.blobBytesSent >= 256 * 1024 + 100, 60_000);
      await daemon.kill();
    } finally {
      await proxy.stop();
    }
    daemon = await BerthdProcess.start(root, socket);
    try {
      await daemon.stop();
      assert.deepEqual(await storeState(root), before_);
      daemon = await BerthdProcess.start(root, socket);
      const pulled = await berthAt(socket, ['pull', `${registry.host}/${name}`]);
      assert.equal(pulled.code, 0, pulled.stderr);
      assert.match(pulled.stdout, /Pull complete/);
    } finally {
      await daemon.stop();
    }
  });
});
