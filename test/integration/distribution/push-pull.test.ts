// Push to and pull from the CNCF distribution registry (Debian's docker-registry) on 127.0.0.1:
// busybox pushed from one state root, pulled into a fresh one and run; basic auth; a corrupted or
// missing layer leaves the store as it was; platform selection from an index. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isBerthError } from '../../../src/base/errors.js';
import { openNodeServices } from '../../../src/daemon/node-services.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import type { ProgressMessage } from '../../../src/images/distribution/transfer-progress.js';
import { needsRoot } from '../../support/berth-cli.js';
import { CncfRegistry, needsRegistry } from '../../support/cncf-registry.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { storeState } from '../images/store-state.js';

describe('push and pull with the CNCF registry', { skip: needsRoot() || needsRegistry() }, () => {
  let work: string;
  let registry: CncfRegistry;
  let source: ImageService;
  let busyboxId: string;
  const user = { username: 'berth', password: 'correct horse' };
  let secured: CncfRegistry;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-distribution-'));
    [registry, secured] = await Promise.all([CncfRegistry.start(), CncfRegistry.start({ user })]);
    source = await openImageNode(join(work, 'source'));
    busyboxId = (await source.bootstrap('busybox')).id;
  });
  after(async () => {
    await source.close();
    await registry.stop();
    await secured.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('push busybox, pull it into a fresh root (same image id) and run it', async () => {
    const name = `${registry.host}/tools/busybox:1`;
    source.tag('busybox', name);
    const pushed: ProgressMessage[] = [];
    const result = await source.push(name, { onProgress: (m) => pushed.push(m) });
    assert.equal(result.name, name);
    assert.ok(pushed.some((m) => m.status === 'Pushed'), JSON.stringify(pushed));
    // A second push finds every blob there already.
    const again: ProgressMessage[] = [];
    await source.push(name, { onProgress: (m) => again.push(m) });
    assert.ok(again.some((m) => m.status === 'Layer already exists'));
    assert.ok(!again.some((m) => m.status === 'Pushed'));

    await sweepLeftovers();
    const fresh = await openImageNode(join(work, 'fresh'));
    const engine = (await openNodeServices(fresh, { cgroupParent: `/${testCgroupName()}` })).containers;
    try {
      const events: ProgressMessage[] = [];
      const pulled = await fresh.pull(name, { onProgress: (m) => events.push(m) });
      assert.equal(pulled.image.id, busyboxId);
      assert.deepEqual(pulled.image.names, [name]);
      assert.ok(events.some((m) => m.status === 'Pull complete'));
      assert.ok(events.some((m) => m.status.startsWith('Status: Downloaded newer image')));
      const second = await fresh.pull(name);
      assert.equal(second.upToDate, true);

      const { id } = await engine.create({ image: name, options: { cmd: ['sh', '-c', 'echo pulled-and-running'] } });
      const exited = engine.wait(id, 'next-exit');
      await engine.start(id);
      assert.equal((await exited).exitCode, 0);
      const log = await readLog(engine.paths.log(id));
      assert.deepEqual(log.map((e) => e.line), ['pulled-and-running']);
      await engine.remove(id, { force: true });
    } finally {
      engine.close();
      await fresh.close();
      await sweepLeftovers();
    }
  });

  test('a chunked push, a cross-repository mount, pull of all tags', async () => {
    const first = `${registry.host}/chunked/busybox:1`;
    source.tag('busybox', first);
    await source.push(first, { chunkSize: 256 * 1024 });
    const second = `${registry.host}/mounted/busybox:1`;
    source.tag('busybox', second);
    const events: ProgressMessage[] = [];
    await source.push(second, { onProgress: (m) => events.push(m) });
    assert.ok(events.some((m) => m.status.startsWith('Mounted from')), JSON.stringify(events));
    source.tag('busybox', `${registry.host}/chunked/busybox:2`);
    await source.push(`${registry.host}/chunked/busybox:2`);
    const pulled = await openImageNode(join(work, 'chunked'));
    try {
      assert.equal((await pulled.pull(first)).image.id, busyboxId);
      const all = await pulled.pullAllTags(`${registry.host}/chunked/busybox`);
      assert.deepEqual(all.map((r) => r.image.id), [busyboxId, busyboxId]);
      assert.deepEqual(pulled.resolve(busyboxId).names, [first, `${registry.host}/chunked/busybox:2`]);
    } finally {
      await pulled.close();
    }
  });

  test('basic auth: the right password pulls, a wrong or missing one is unauthenticated', async () => {
    const name = `${secured.host}/private/busybox:latest`;
    source.tag('busybox', name);
    await assert.rejects(source.push(name), (err) => isBerthError(err, 'unauthenticated') && /authentication required/.test(err.message));
    await source.push(name, { credentials: user });
    const target = await openImageNode(join(work, 'auth'));
    try {
      const before_ = await storeState(join(work, 'auth'));
      await assert.rejects(target.pull(name, { credentials: { username: 'berth', password: 'wrong' } }),
        (err) => isBerthError(err, 'unauthenticated') && /incorrect username or password/.test(err.message));
      await assert.rejects(target.pull(name), (err) => isBerthError(err, 'unauthenticated'));
      assert.deepEqual(await storeState(join(work, 'auth')), before_);
      assert.equal((await target.pull(name, { credentials: user })).image.id, busyboxId);
    } finally {
      await target.close();
    }
  });

  test('a corrupted or missing layer fails the pull and leaves the store as it was', async () => {
    const tar = await makeTar([{ name: 'hello.txt', content: 'x'.repeat(300_000) }]);
    await writeFile(join(work, 'layer.tar'), tar);
    const name = `${registry.host}/broken/layer:1`;
    const imported = await source.import(Readable.from([tar]), { names: [name] });
    await source.push(name);
    const manifest = JSON.parse((await source.content.readBytes(imported.manifestDigest)).toString()) as { layers: { digest: string }[] };
    const layer = manifest.layers[0]?.digest ?? '';
    const data = registry.blobDataPath(layer);
    const original = await readFile(data);
    const rootDir = join(work, 'broken');
    const target = await openImageNode(rootDir);
    await target.bootstrap('busybox'); // the store has something to keep
    await target.close();
    const before_ = await storeState(rootDir);
    const corrupted = Buffer.from(original);
    corrupted[corrupted.length - 2000] = (corrupted[corrupted.length - 2000] ?? 0) ^ 0xff;
    await writeFile(data, corrupted);
    let service = await openImageNode(rootDir);
    try {
      await assert.rejects(service.pull(name), (err) => isBerthError(err, 'data-loss'));
    } finally {
      await service.close();
    }
    assert.deepEqual(await storeState(rootDir), before_);
    await unlink(data);
    service = await openImageNode(rootDir);
    try {
      await assert.rejects(service.pull(name), (err) => isBerthError(err) && ['not-found', 'unavailable'].includes(err.kind));
    } finally {
      await service.close();
    }
    assert.deepEqual(await storeState(rootDir), before_);
    await writeFile(data, original);
  });
});
