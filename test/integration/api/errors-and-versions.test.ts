import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(socketPath: string, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('berthd API: versions, statuses and Docker error bodies', { skip: needsRoot() }, () => {
  let work: string;
  let daemon: BerthdProcess;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-api-'));
    const root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    await berthOk(root, ['tag', 'busybox', 'second:1']);
    daemon = await BerthdProcess.start(root, join(work, 'berth.sock'));
  });
  after(async () => {
    await (daemon as BerthdProcess | undefined)?.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('ping answers on HEAD and GET, with and without a version prefix', async () => {
    for (const [method, path] of [['GET', '/_ping'], ['HEAD', '/_ping'], ['GET', '/v1.24/_ping'], ['HEAD', '/v1.41/_ping']] as const) {
      const answer = await call(daemon.socketPath, method, path);
      assert.equal(answer.status, 200, `${method} ${path}`);
      assert.equal(answer.headers['api-version'], '1.43');
    }
  });

  test('versioned and unversioned image routes agree', async () => {
    const a = await call(daemon.socketPath, 'GET', '/images/json');
    const b = await call(daemon.socketPath, 'GET', '/v1.41/images/json');
    assert.equal(a.status, 200);
    assert.equal(a.body, b.body);
    const list = JSON.parse(a.body) as { RepoTags: string[] }[];
    assert.deepEqual(list.map((i) => i.RepoTags.sort()), [['busybox:latest', 'second:1']]);
  });

  test('errors: 404 no such image, 409 conflict, 400 bad parameter, 404 unknown route', async () => {
    const missing = await call(daemon.socketPath, 'GET', '/v1.41/images/nope/json');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { message: 'No such image: nope' });

    const list = JSON.parse((await call(daemon.socketPath, 'GET', '/images/json')).body) as { Id: string }[];
    const id = list[0]?.Id ?? '';
    const conflict = await call(daemon.socketPath, 'DELETE', `/images/${id.slice(7, 19)}`);
    assert.equal(conflict.status, 409);
    assert.match((JSON.parse(conflict.body) as { message: string }).message, /must be forced/);

    const badTag = await call(daemon.socketPath, 'POST', '/images/busybox/tag?repo=UPPER&tag=x');
    assert.equal(badTag.status, 400);
    assert.match((JSON.parse(badTag.body) as { message: string }).message, /invalid reference/);

    const badFilter = await call(daemon.socketPath, 'GET', '/images/json?filters=%7Bnope');
    assert.equal(badFilter.status, 400);

    const unknown = await call(daemon.socketPath, 'GET', '/v1.41/no/such/route');
    assert.equal(unknown.status, 404);
    assert.match((JSON.parse(unknown.body) as { message: string }).message, /page not found/);
  });
});
