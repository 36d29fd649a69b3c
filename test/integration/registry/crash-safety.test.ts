// kill -9 of `berth registry serve` in the middle of a push (at failpoints, via BERTH_FAILPOINT):
// afterwards nothing is half-visible (every blob served hashes to its digest, no tag points at a
// missing manifest) and the same push, redone against a restarted registry, succeeds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { BERTH_BIN } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout } from '../../support/oci-fixtures.js';
import { call, sha256 } from './registry-fixture.js';

const runner = new ChildProcessRunner();

interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | null>;
}

/** Starts `berth registry serve` on port 0 and waits for the line naming its address. */
function serve(root: string, failpoint?: string): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BERTH_BIN, 'registry', 'serve', '--root', root, '--addr', '127.0.0.1:0'], {
      env: { ...process.env, ...(failpoint !== undefined && { BERTH_FAILPOINT: failpoint }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_code, signal) => { done(signal); }));
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], exited });
    });
    child.on('error', reject);
    void exited.then(() => { reject(new Error(`registry exited before serving: ${output}`)); });
  });
}

async function stop(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await server.exited;
}

/** Every blob the registry answers for is whole; the tag is absent or points at a whole manifest. */
async function assertNothingHalfVisible(url: string, layout: string, repo: string): Promise<void> {
  for (const hex of await readdir(join(layout, 'blobs', 'sha256'))) {
    const digest = `sha256:${hex}`;
    for (const kind of ['blobs', 'manifests']) {
      const response = await call({ url }, 'GET', `/v2/${repo}/${kind}/${digest}`);
      if (response.status === 404) continue;
      assert.equal(response.status, 200);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), digest, `${kind} ${digest} is whole`);
    }
  }
  const tagged = await call({ url }, 'GET', `/v2/${repo}/manifests/1`);
  assert.equal(tagged.status, 404, 'the interrupted push did not tag anything');
}

describe('kill -9 of the registry during a push', { skip: existsSync('/usr/bin/skopeo') ? false : 'needs skopeo' }, () => {
  let work: string;
  let layout: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-registry-crash-'));
    layout = join(work, 'layout');
    const big = await makeTar([{ name: 'data', content: 'crash test '.repeat(50_000) }]);
    await writeOciLayout(layout, [{ name: 'x:1', layers: [{ tar: big, compression: 'gzip' }, { tar: await makeTar([{ name: 'small', content: 's' }]), compression: 'gzip' }] }]);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const failpoint of ['registry-blob-before-rename', 'registry-manifest-before-commit']) {
    test(`killed at ${failpoint}: nothing half-visible, and the push can be redone`, async () => {
      const root = join(work, failpoint);
      const doomed = await serve(root, failpoint);
      const host = doomed.url.replace('http://', '');
      const push = await runner.run('skopeo', ['copy', '--retry-times', '0', '--dest-tls-verify=false', `oci:${layout}`, `docker://${host}/crash/img:1`], { okCodes: [0, 1] });
      assert.equal(push.code, 1, 'the push failed with the registry');
      assert.equal(await doomed.exited, 'SIGKILL');

      const revived = await serve(root);
      try {
        await assertNothingHalfVisible(revived.url, layout, 'crash/img');
        const again = revived.url.replace('http://', '');
        await runner.run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}`, `docker://${again}/crash/img:1`]);
        await runner.run('skopeo', ['copy', '--src-tls-verify=false', `docker://${again}/crash/img:1`, `oci:${join(root, 'back')}:1`]);
        assert.deepEqual((await readdir(join(root, 'back', 'blobs', 'sha256'))).sort(), (await readdir(join(layout, 'blobs', 'sha256'))).sort());
        const ingest = await readdir(join(root, 'content', 'ingest')).catch(() => []);
        assert.deepEqual(ingest, [], 'no temp file of the dead process is left');
        const index = JSON.parse(await readFile(join(root, 'back', 'index.json'), 'utf8')) as { manifests: unknown[] };
        assert.equal(index.manifests.length, 1);
      } finally {
        await stop(revived);
      }
    });
  }

  test('an upload interrupted by kill -9 resumes on the restarted registry', async () => {
    const root = join(work, 'resume');
    const data = Buffer.from('resumable after a crash '.repeat(4000));
    const first = await serve(root);
    const post = await call(first, 'POST', '/v2/crash/resume/blobs/uploads/');
    const location = post.headers.get('location') ?? '';
    const half = 40_000;
    const patch = await call(first, 'PATCH', location, { body: data.subarray(0, half), headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` } });
    assert.equal(patch.status, 202);
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const second = await serve(root);
    try {
      const status = await call(second, 'GET', location);
      assert.equal(status.status, 204);
      assert.equal(status.headers.get('range'), `0-${half - 1}`);
      const put = await call(second, 'PUT', `${location}?digest=${sha256(data)}`, { body: data.subarray(half), headers: { 'content-type': 'application/octet-stream', 'content-range': `${half}-${data.length - 1}` } });
      assert.equal(put.status, 201);
      const blob = await call(second, 'GET', `/v2/crash/resume/blobs/${sha256(data)}`);
      assert.equal(sha256(Buffer.from(await blob.arrayBuffer())), sha256(data));
    } finally {
      await stop(second);
    }
  });
});
