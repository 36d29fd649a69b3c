// berthd killed (SIGKILL) in the middle of a pull: after a restart the store is exactly as it
// was before the pull, and the same pull then succeeds; a failure after the progress stream began
// ends it with Docker's errorDetail line. Needs root and docker-registry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openImageNode } from '../../src/daemon/image-node.js';
import { berthAt, needsRoot } from '../support/berth-cli.js';
import { BerthdProcess } from '../support/berthd-process.js';
import { CncfRegistry, needsRegistry } from '../support/cncf-registry.js';
import { FlakyProxy } from '../support/flaky-proxy.js';
import { makeTar } from '../support/oci-fixtures.js';
import { eventually } from '../integration/runtime/runtime-fixtures.js';
import { storeState } from '../integration/images/store-state.js';

/** POSTs to berthd and collects the JSON lines of the answer. */
function postLines(socket: string, path: string): Promise<{ status: number; lines: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method: 'POST', path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const lines = Buffer.concat(chunks).toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ status: res.statusCode ?? 0, lines });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('berthd killed mid-pull', { skip: needsRoot() || needsRegistry() }, () => {
  let work: string;
  let registry: CncfRegistry;
  const name = 'crash/layer:1';

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-pull-crash-'));
    registry = await CncfRegistry.start();
    const source = await openImageNode(join(work, 'source'));
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
    const seed = await openImageNode(root);
    await seed.bootstrap('busybox');
    await seed.close();
    const before_ = await storeState(root);
    const proxy = await FlakyProxy.start(registry.host, (_request, index) => (index === 1 ? { action: 'stall', afterBytes: 1280 * 1024 } : { action: 'pass' }));
    const socket = join(work, 'run', 'berth.sock');
    let daemon = await BerthdProcess.start(root, socket);
    try {
      // The pull's answer never ends (the layer stalls); berthd dies under it.
      const req = request({ socketPath: socket, method: 'POST', path: `/images/create?fromImage=${proxy.host}/crash/layer&tag=1` }, (res) => res.resume());
      req.on('error', () => undefined);
      req.end();
      // Past the first 1 MiB batch, so the kill usually finds a blob temp file and an unpack under way.
      await eventually('the layer download to stall', () => proxy.blobBytesSent >= 1280 * 1024 + 100, 60_000);
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

  test('a layer that fails verification after the stream began ends it with errorDetail', async () => {
    const source = await openImageNode(join(work, 'source'));
    let layer: string;
    try {
      const image = source.resolve(`${registry.host}/${name}`);
      layer = (JSON.parse((await source.content.readBytes(image.manifestDigest)).toString()) as { layers: { digest: string }[] }).layers[0]?.digest ?? '';
    } finally {
      await source.close();
    }
    const data = registry.blobDataPath(layer);
    const original = await readFile(data);
    const corrupted = Buffer.from(original);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    await writeFile(data, corrupted);
    const root = join(work, 'corrupt-root');
    const socket = join(work, 'run', 'corrupt.sock');
    const daemon = await BerthdProcess.start(root, socket);
    try {
      const answer = await postLines(socket, `/images/create?fromImage=${registry.host}/crash/layer&tag=1`);
      assert.equal(answer.status, 200);
      assert.equal(answer.lines[0]?.status, 'Pulling from crash/layer');
      const last = answer.lines[answer.lines.length - 1] as { errorDetail?: { message?: string }; error?: string };
      assert.match(last.errorDetail?.message ?? '', /hashes to/);
      assert.equal(last.error, last.errorDetail?.message);
      const cli = await berthAt(socket, ['pull', `${registry.host}/${name}`]);
      assert.notEqual(cli.code, 0);
      assert.match(cli.stderr, /hashes to/);
      const missing = await postLines(socket, `/images/create?fromImage=${registry.host}/crash/nothing&tag=1`);
      assert.equal(missing.status, 404);
    } finally {
      await daemon.stop();
      await writeFile(data, original);
    }
  });
});
