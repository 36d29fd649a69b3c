import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH_BIN, berthOk, needsRoot } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout, type FixtureEntry } from '../../support/oci-fixtures.js';
import { assertConsistent, storeState } from './store-state.js';

function manyFiles(prefix: string, count: number): FixtureEntry[] {
  return [{ name: `${prefix}/`, type: 'directory' }, ...Array.from({ length: count }, (_, i) => ({ name: `${prefix}/f${i}`, content: `${prefix} ${i} `.repeat(200) }))];
}

/** Starts `berth load`, and kills it with SIGKILL: at a failpoint, or after its first progress line. */
function loadAndKill(root: string, archive: string, failpoint?: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BERTH_BIN, '--root', root, 'image', 'load', '-i', archive], {
      env: { ...process.env, ...(failpoint !== undefined && { BERTH_FAILPOINT: failpoint }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (failpoint === undefined && chunk.toString().includes('Unpacked layer')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      resolve(signal);
    });
  });
}

async function tempLeftovers(root: string): Promise<string[]> {
  const ingest = await readdir(join(root, 'content', 'ingest')).catch(() => []);
  const snapshots = (await readdir(join(root, 'snapshots')).catch(() => [])).filter((n) => n.startsWith('.tmp-'));
  return [...ingest, ...snapshots];
}

describe('kill -9 during image load leaves a consistent store', { skip: needsRoot() }, () => {
  let work: string;
  let archive: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-crash-'));
    archive = join(work, 'layout');
    await writeOciLayout(archive, [{
      name: 'example.com/crash:1',
      layers: [
        { tar: await makeTar(manyFiles('one', 1500)), compression: 'gzip' },
        { tar: await makeTar(manyFiles('two', 1500)) },
        { tar: await makeTar(manyFiles('three', 1500)), compression: 'gzip' },
      ],
    }]);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const point of ['load-after-blobs', 'load-after-layers', undefined]) {
    test(`killed ${point === undefined ? 'while unpacking' : `at ${point}`}`, async () => {
      const root = join(work, `root-${point ?? 'unpacking'}`);
      await berthOk(root, ['image', 'bootstrap', 'busybox']);
      const signal = await loadAndKill(root, archive, point);
      if (point !== undefined) assert.equal(signal, 'SIGKILL');

      // The next start cleans up: no half image, no temp files, nothing the dead load wrote.
      const state = await storeState(root);
      const crashImageListed = state.images.some((i) => i.includes('example.com/crash:1'));
      if (signal === 'SIGKILL') assert.equal(crashImageListed, false, 'a killed load must not list its image');
      assert.deepEqual(await tempLeftovers(root), []);
      assert.deepEqual(await assertConsistent(root), []);
      if (signal === 'SIGKILL') {
        // Only busybox's blobs (manifest, config, layer) and its one layer remain.
        assert.equal(state.blobs.length, 3, `leftover blobs: ${state.blobs.join(' ')}`);
        assert.equal(state.snapshots.length, 1);
      }

      // And the next load succeeds.
      assert.match(await berthOk(root, ['load', '-i', archive]), /Loaded image: example.com\/crash:1/);
      assert.deepEqual(await assertConsistent(root), []);
      const inspect = JSON.parse(await berthOk(root, ['image', 'inspect', 'example.com/crash:1'])) as unknown[];
      assert.equal(inspect.length, 1);
    });
  }
});

describe('garbage collection while other commands write', { skip: needsRoot() }, () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-gc-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('loads racing prunes never leave an image without its blobs or layers', async () => {
    const root = join(work, 'root');
    const layouts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = join(work, `layout-${i}`);
      // A shared base layer and a distinct top layer: prunes and loads fight over the base.
      await writeOciLayout(dir, [{
        name: `example.com/race:${i}`,
        layers: [{ tar: await makeTar(manyFiles('base', 300)) }, { tar: await makeTar(manyFiles(`top${i}`, 50)) }],
      }]);
      layouts.push(dir);
    }
    for (let round = 0; round < 3; round++) {
      const work_ = layouts.flatMap((dir) => [berthOk(root, ['load', '-i', dir]), berthOk(root, ['image', 'prune', '--all'])]);
      await Promise.all(work_);
      assert.deepEqual(await assertConsistent(root), [], `round ${round}`);
    }
    // Whatever survived is whole; after a final prune nothing is left behind.
    await berthOk(root, ['image', 'prune', '--all']);
    const state = await storeState(root);
    assert.deepEqual(state.images, []);
    assert.deepEqual(state.blobs, []);
    assert.deepEqual(state.snapshots, []);
  });
});
