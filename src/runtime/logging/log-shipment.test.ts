import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../base/process-runner.js';
import type { RotationSettings } from './log-options.js';
import { LogShipment, type LogShipmentOptions } from './log-shipment.js';
import { readCheckpoint } from './ship-checkpoint.js';
import { followShippedLog, readShippedLog } from './shipped-log-reader.js';

const record = (n: number, text: string, tag = 'F', stream = 'stdout'): string =>
  `2026-01-02T03:04:05.${String(n).padStart(9, '0')}+00:00 ${stream} ${tag} ${text}\n`;

async function withShipment(rotation: RotationSettings, work: (o: LogShipmentOptions, dir: string) => Promise<void>, format: 'json-file' | 'local' = 'json-file'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-ship-'));
  const warnings: string[] = [];
  try {
    await work({
      spoolPath: join(dir, 'container.log'), filePath: join(dir, format === 'json-file' ? 'c-json.log' : join('local-logs', 'container.log')),
      checkpointPath: join(dir, 'log-copy.json'), format, rotation, runner: new ChildProcessRunner(), warn: (m) => warnings.push(m),
    }, dir);
    assert.deepEqual(warnings, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const NO_ROTATION: RotationSettings = { maxSize: -1, maxFile: 1, compress: false };
const lines = async (path: string): Promise<string[]> => (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { log: string }).log);

test('copies complete records, holds a torn one back, and ends unfinished lines at finish', async () => {
  await withShipment(NO_ROTATION, async (options) => {
    await writeFile(options.spoolPath, record(1, 'one') + record(2, 'par', 'P') + '2026-01-02T03:04:05Z stdout F tor');
    const shipment = await LogShipment.open(options);
    await shipment.sync();
    assert.deepEqual(await lines(options.filePath), ['one\n']);
    assert.deepEqual((await readCheckpoint(options.checkpointPath))?.pending, { stdout: { timeNs: '1767323045000000002', text: 'par' } });
    await appendFile(options.spoolPath, 'n\n');
    await shipment.finish();
    assert.deepEqual(await lines(options.filePath), ['one\n', 'partorn\n']);
    await appendFile(options.spoolPath, record(3, 'last', 'P'));
    await shipment.finish();
    assert.deepEqual(await lines(options.filePath), ['one\n', 'partorn\n', 'last']);
    await shipment.startAfresh();
    assert.equal((await stat(options.spoolPath)).size, 0);
    await appendFile(options.spoolPath, record(4, 'next run'));
    await shipment.sync();
    assert.deepEqual(await lines(options.filePath), ['one\n', 'partorn\n', 'last', 'next run\n']);
    await shipment.close();
  });
});

test('after a crash, what the checkpoint does not name is cut off and copied again: nothing twice, nothing lost', async () => {
  await withShipment(NO_ROTATION, async (options) => {
    await writeFile(options.spoolPath, record(1, 'a') + record(2, 'b'));
    const first = await LogShipment.open(options);
    await first.sync();
    await first.close();
    // The crash: more output was copied, but its checkpoint was never written.
    await appendFile(options.spoolPath, record(3, 'c'));
    await appendFile(options.filePath, '{"log":"c\\n","stream":"stdout","time":"2026-01-02T03:04:05.000000003Z"}\n');
    await appendFile(options.spoolPath, record(4, 'd'));
    const second = await LogShipment.open(options);
    await second.sync();
    await second.close();
    assert.deepEqual(await lines(options.filePath), ['a\n', 'b\n', 'c\n', 'd\n']);
  });
});

test('a crash inside a rotation resumes in the new file from the checkpoint named before it', async () => {
  await withShipment({ maxSize: 200, maxFile: 3, compress: false }, async (options) => {
    await writeFile(options.spoolPath, record(1, 'a'.repeat(100)) + record(2, 'b'));
    const first = await LogShipment.open(options);
    await first.sync();
    await first.close();
    const checkpoint = await readCheckpoint(options.checkpointPath);
    // The crash: the full file was rotated and a line written to the new one, with no checkpoint after.
    await rename(options.filePath, `${options.filePath}.1`);
    await writeFile(options.filePath, '{"log":"c\\n","stream":"stdout","time":"2026-01-02T03:04:05.000000003Z"}\n');
    await appendFile(options.spoolPath, record(3, 'c'));
    assert.notEqual((await stat(options.filePath)).ino, checkpoint?.sink.ino);
    const second = await LogShipment.open(options);
    await second.sync();
    await second.close();
    assert.deepEqual(await lines(`${options.filePath}.1`), ['a'.repeat(100) + '\n', 'b\n']);
    assert.deepEqual(await lines(options.filePath), ['c\n']);
  });
});

test('rotation keeps max-file files, compressed when asked; a read sees them all in order', async () => {
  await withShipment({ maxSize: 200, maxFile: 3, compress: true }, async (options, dir) => {
    let spool = '';
    for (let i = 0; i < 30; i++) spool += record(i, `line ${i}`);
    await writeFile(options.spoolPath, spool);
    const shipment = await LogShipment.open(options);
    await shipment.sync();
    const names = (await readdir(dir)).filter((n) => n.startsWith('c-json.log')).sort();
    assert.deepEqual(names, ['c-json.log', 'c-json.log.1.gz', 'c-json.log.2.gz']);
    const entries = await readShippedLog({ path: options.filePath, format: 'json-file', maxFile: 3, shipment });
    const numbers = entries.map((e) => Number(e.line.split(' ')[1]));
    assert.equal(numbers.at(-1), 29);
    assert.deepEqual(numbers, numbers.map((_, k) => (numbers[0] ?? 0) + k), 'consecutive, oldest first');
    assert.deepEqual((await readShippedLog({ path: options.filePath, format: 'json-file', maxFile: 3, shipment }, { tail: 2 })).map((e) => e.line), ['line 28', 'line 29']);
    await shipment.close();
  });
});

test('local keeps the records as k8s-file lines; a follower gets what is there, then what is copied, then the end', async () => {
  await withShipment({ maxSize: -1, maxFile: 1, compress: false }, async (options) => {
    await writeFile(options.spoolPath, record(1, 'before') + record(2, 'hal', 'P'));
    const shipment = await LogShipment.open(options);
    const log = { path: options.filePath, format: 'local' as const, maxFile: 1, shipment };
    let exited: () => void = () => undefined;
    const done = new Promise<void>((resolve) => { exited = resolve; });
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of followShippedLog(log, new AbortController().signal, {}, done)) seen.push(entry.line);
    })();
    await appendFile(options.spoolPath, record(3, 'f') + record(4, 'after', 'F', 'stderr'));
    await shipment.sync();
    await appendFile(options.spoolPath, record(5, 'unended', 'P'));
    await shipment.finish();
    exited();
    await following;
    assert.deepEqual(seen, ['before', 'half', 'after', 'unended']);
    await shipment.close();
  }, 'local');
});
