// `POST /images/load` as dockerd answers it: 200 at once with the JSON messages streamed (chunked),
// and a bad archive as an error message in the stream, quiet or not. Clients: raw HTTP, dockerode,
// the Python SDK and the docker CLI, against berthd and a private dockerd. Needs root, runc,
// conmon, docker.io and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { http, jsonLines, python, SideBySide, sideBySideSkip } from '../support/side-by-side.js';

describe('image load answers as dockerd does', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let work: string;
  const bad: Record<string, string> = {};
  let good: string;

  before(async () => {
    pair = await SideBySide.start('berth-e2e-image-load-');
    work = pair.berth.work;
    good = join(work, 'busybox.tar');
    bad.garbage = join(work, 'garbage.tar');
    await writeFile(bad.garbage, 'this is not a tar archive\n');
    bad.truncated = join(work, 'truncated.tar');
    await writeFile(bad.truncated, (await readFile(good)).subarray(0, 100_000));
    const plain = join(work, 'plain');
    await mkdir(plain);
    await writeFile(join(plain, 'hello.txt'), 'no manifest here\n');
    bad.manifestless = join(work, 'manifestless.tar');
    spawnSync('tar', ['-C', plain, '-cf', bad.manifestless, '.']);
  });
  after(async () => { await pair.close(); });

  test('the loaded image inspects with dockerd\'s top-level keys; Container and ContainerConfig as dockerd shows them', async () => {
    const [dockerd, berthd] = pair.daemons;
    const [expected, actual] = await Promise.all([dockerd, berthd].map(async (daemon) => {
      const answer = await http(daemon.socketPath, 'GET', '/v1.41/images/busybox/json');
      assert.equal(answer.status, 200, `${daemon.name}: ${answer.body}`);
      return JSON.parse(answer.body) as Record<string, unknown>;
    }));
    assert.ok(expected && actual);
    assert.deepEqual(Object.keys(expected).filter((key) => !(key in actual)), []);
    assert.equal(actual.Container, expected.Container);
    assert.deepEqual(actual.ContainerConfig, expected.ContainerConfig);
  });

  test('a bad archive: 200, chunked JSON, the error as the last message (quiet too)', async () => {
    for (const [what, path] of Object.entries(bad)) {
      for (const quiet of ['0', '1']) {
        const shapes = [];
        for (const daemon of pair.daemons) {
          const answer = await http(daemon.socketPath, 'POST', `/images/load?quiet=${quiet}`, await readFile(path), { 'Content-Type': 'application/x-tar' });
          const messages = jsonLines(answer.body);
          const last = messages.at(-1) as { errorDetail?: Record<string, unknown>; error?: unknown } | undefined;
          shapes.push({
            status: answer.status, type: answer.headers['content-type'], chunked: answer.headers['transfer-encoding'],
            keys: Object.keys(last ?? {}).sort(), detailKeys: Object.keys(last?.errorDetail ?? {}), sameText: last?.error === last?.errorDetail?.message && typeof last?.error === 'string',
          });
        }
        assert.deepEqual(shapes[0], { status: 200, type: 'application/json', chunked: 'chunked', keys: ['error', 'errorDetail'], detailKeys: ['message'], sameText: true }, `dockerd, ${what}`);
        assert.deepEqual(shapes[1], shapes[0], `${what}, quiet=${quiet}`);
      }
    }
  });

  test('a good archive streams "Loaded image" chunked, as dockerd', async () => {
    const answers = [];
    for (const daemon of pair.daemons) {
      const answer = await http(daemon.socketPath, 'POST', '/images/load?quiet=1', await readFile(good), { 'Content-Type': 'application/x-tar' });
      answers.push({ status: answer.status, chunked: answer.headers['transfer-encoding'], messages: jsonLines(answer.body) });
    }
    assert.deepEqual(answers[0], { status: 200, chunked: 'chunked', messages: [{ stream: 'Loaded image: busybox:latest\n' }] });
    assert.deepEqual(answers[1], answers[0]);
  });

  test('dockerode, the Python SDK and the docker CLI see the failure the same way on both', async () => {
    const outcomes = [];
    for (const daemon of pair.daemons) {
      // dockerode: the call succeeds (200); the error comes in the stream.
      const stream = await daemon.client.loadImage(bad.truncated ?? '');
      const chunks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
      const dockerode = jsonLines(Buffer.concat(chunks).toString('utf8')).some((m) => typeof m.error === 'string');
      const sdk = python(daemon.socketPath, [
        `data = open(${JSON.stringify(bad.garbage)}, 'rb').read()`,
        'try:',
        '    client.images.load(data)',
        '    print("loaded")',
        'except docker.errors.ImageLoadError:',
        '    print("ImageLoadError")',
        'except docker.errors.APIError as e:',
        '    print("APIError", e.status_code)',
      ].join('\n'));
      assert.equal(sdk.code, 0, sdk.err);
      const cli = daemon.docker(['load', '-i', bad.manifestless ?? '']);
      outcomes.push({ dockerode, sdk: sdk.out.trim(), cli: cli.code, cliSaysSo: cli.err.trim() !== '' });
    }
    assert.deepEqual(outcomes[0], { dockerode: true, sdk: 'ImageLoadError', cli: 1, cliSaysSo: true });
    assert.deepEqual(outcomes[1], outcomes[0]);
    // The connection and the daemon stay usable after a bad archive.
    const again = await http(pair.berth.daemon.socketPath, 'POST', '/images/load', await readFile(good), { 'Content-Type': 'application/x-tar' });
    assert.deepEqual(jsonLines(again.body), [{ stream: 'Loaded image: busybox:latest\n' }]);
  });
});
