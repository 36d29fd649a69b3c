import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { eventually } from '../runtime/runtime-fixtures.js';
import { call, errorCode, pushBlob, sha256, startTestRegistry, type TestRegistry } from './registry-fixture.js';

async function contentFiles(registry: TestRegistry): Promise<string[]> {
  return readdir(join(registry.storage.paths.root, 'content', 'blobs', 'sha256')).catch(() => []);
}

describe('registry blob uploads', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ uploadTtlMs: 60_000 });
  });
  after(async () => {
    await registry.stop();
  });

  test('/v2/ answers with the API version header', async () => {
    const response = await call(registry, 'GET', '/v2/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('docker-distribution-api-version'), 'registry/2.0');
  });

  test('monolithic upload, then HEAD, GET, Range and DELETE of the blob', async () => {
    const data = Buffer.from('0123456789abcdef');
    const digest = await pushBlob(registry, 'mono/repo', data);
    const head = await call(registry, 'HEAD', `/v2/mono/repo/blobs/${digest}`);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '16');
    assert.equal(head.headers.get('docker-content-digest'), digest);
    const whole = await call(registry, 'GET', `/v2/mono/repo/blobs/${digest}`);
    assert.equal(await whole.text(), '0123456789abcdef');
    const part = await call(registry, 'GET', `/v2/mono/repo/blobs/${digest}`, { headers: { range: 'bytes=4-7' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 4-7/16');
    assert.equal(await part.text(), '4567');
    const bad = await call(registry, 'GET', `/v2/mono/repo/blobs/${digest}`, { headers: { range: 'bytes=99-' } });
    assert.equal(bad.status, 416);
    assert.equal((await call(registry, 'HEAD', `/v2/other/repo/blobs/${digest}`)).status, 404);
    assert.equal((await call(registry, 'DELETE', `/v2/mono/repo/blobs/${digest}`)).status, 202);
    const gone = await call(registry, 'GET', `/v2/mono/repo/blobs/${digest}`);
    assert.equal(gone.status, 404);
    assert.equal(await errorCode(gone), 'BLOB_UNKNOWN');
  });

  test('a wrong digest is DIGEST_INVALID and nothing is stored', async () => {
    const before = await contentFiles(registry);
    const data = Buffer.from('the real content');
    const claimed = sha256('something else');
    const post = await call(registry, 'POST', '/v2/bad/digest/blobs/uploads/');
    assert.equal(post.status, 202);
    const location = post.headers.get('location') ?? '';
    const put = await call(registry, 'PUT', `${location}?digest=${claimed}`, { body: data, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 400);
    assert.equal(await errorCode(put), 'DIGEST_INVALID');
    assert.deepEqual(await contentFiles(registry), before);
    assert.equal((await call(registry, 'HEAD', `/v2/bad/digest/blobs/${claimed}`)).status, 404);
    assert.equal((await call(registry, 'HEAD', `/v2/bad/digest/blobs/${sha256(data)}`)).status, 404);
    assert.equal((await call(registry, 'GET', location)).status, 404, 'the session is gone');
    const mono = await call(registry, 'POST', `/v2/bad/digest/blobs/uploads/?digest=${claimed}`, { body: data, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(await errorCode(mono), 'DIGEST_INVALID');
    assert.deepEqual(await contentFiles(registry), before);
  });

  test('chunked upload resumed after a break, with status and Content-Range', async () => {
    const data = Buffer.from('A'.repeat(1000) + 'B'.repeat(1000) + 'C'.repeat(500));
    const post = await call(registry, 'POST', '/v2/chunked/repo/blobs/uploads/');
    const location = post.headers.get('location') ?? '';
    assert.match(location, /^\/v2\/chunked\/repo\/blobs\/uploads\/[0-9a-f-]{36}$/);
    const first = await call(registry, 'PATCH', location, { body: data.subarray(0, 1000), headers: { 'content-type': 'application/octet-stream', 'content-range': '0-999' } });
    assert.equal(first.status, 202);
    assert.equal(first.headers.get('range'), '0-999');
    // The client "loses" its connection; it asks where the upload stands and resumes there.
    const status = await call(registry, 'GET', location);
    assert.equal(status.status, 204);
    assert.equal(status.headers.get('range'), '0-999');
    const wrong = await call(registry, 'PATCH', location, { body: data.subarray(500, 1500), headers: { 'content-type': 'application/octet-stream', 'content-range': '500-1499' } });
    assert.equal(wrong.status, 416);
    const second = await call(registry, 'PATCH', location, { body: data.subarray(1000, 2000), headers: { 'content-type': 'application/octet-stream', 'content-range': '1000-1999' } });
    assert.equal(second.headers.get('range'), '0-1999');
    const digest = sha256(data);
    const put = await call(registry, 'PUT', `${location}?digest=${digest}`, { body: data.subarray(2000), headers: { 'content-type': 'application/octet-stream', 'content-range': '2000-2499' } });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('location'), `/v2/chunked/repo/blobs/${digest}`);
    assert.equal(put.headers.get('docker-content-digest'), digest);
    assert.deepEqual(Buffer.from(await (await call(registry, 'GET', `/v2/chunked/repo/blobs/${digest}`)).arrayBuffer()), data);
    assert.equal((await call(registry, 'GET', location)).status, 404, 'a finished session is gone');
  });

  test('two clients pushing the same blob at once both succeed, and one copy is kept', async () => {
    const data = Buffer.from('same blob from two clients '.repeat(5000));
    const digest = sha256(data);
    const push = async (repo: string): Promise<number> => {
      const post = await call(registry, 'POST', `/v2/${repo}/blobs/uploads/`);
      const location = post.headers.get('location') ?? '';
      for (let offset = 0; offset < data.length; offset += 40_000) {
        const chunk = data.subarray(offset, offset + 40_000);
        const patch = await call(registry, 'PATCH', location, { body: chunk, headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}` } });
        assert.equal(patch.status, 202);
      }
      return (await call(registry, 'PUT', `${location}?digest=${digest}`)).status;
    };
    assert.deepEqual(await Promise.all([push('twins/a'), push('twins/b'), push('twins/a')]), [201, 201, 201]);
    for (const repo of ['twins/a', 'twins/b']) {
      const response = await call(registry, 'GET', `/v2/${repo}/blobs/${digest}`);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), digest);
    }
    assert.equal((await contentFiles(registry)).filter((name) => name === digest.slice(7)).length, 1);
  });

  test('a PATCH cut off mid-body keeps what arrived; the client resumes from the reported Range', async () => {
    const data = Buffer.from(randomBytes(64 * 1024).toString('hex'));
    const post = await call(registry, 'POST', '/v2/cut/repo/blobs/uploads/');
    const location = post.headers.get('location') ?? '';
    const { port } = new URL(registry.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${data.length}\r\n\r\n`);
        // Handed to the kernel, the bytes still reach the server before the close does.
        socket.write(data.subarray(0, 50_000), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => { resolve(); });
    });
    // The status waits for a running append; once it reports bytes, the cut PATCH has settled
    // (an empty session reports `0-0` too, so that is not yet an answer).
    let received = -1;
    await eventually('the cut PATCH to be settled', async () => {
      const header = (await call(registry, 'GET', location)).headers.get('range') ?? '';
      const range = /^0-(\d+)$/.exec(header);
      received = range ? Number(range[1]) + 1 : -1;
      return header !== '0-0' && received > 0;
    });
    assert.ok(received <= 50_000, `kept ${received} bytes of the 50000 sent`);
    const rest = data.subarray(received);
    const put = await call(registry, 'PUT', `${location}?digest=${sha256(data)}`, { body: rest, headers: { 'content-type': 'application/octet-stream', 'content-range': `${received}-${data.length - 1}` } });
    assert.equal(put.status, 201);
    assert.equal(sha256(Buffer.from(await (await call(registry, 'GET', `/v2/cut/repo/blobs/${sha256(data)}`)).arrayBuffer())), sha256(data));
  });

  test('upload cancel removes the session and its bytes', async () => {
    const post = await call(registry, 'POST', '/v2/cancel/repo/blobs/uploads/');
    const location = post.headers.get('location') ?? '';
    await call(registry, 'PATCH', location, { body: 'partial', headers: { 'content-type': 'application/octet-stream' } });
    const id = location.split('/').pop() ?? '';
    assert.ok(existsSync(registry.storage.paths.upload(id)));
    assert.equal((await call(registry, 'DELETE', location)).status, 204);
    assert.ok(!existsSync(registry.storage.paths.upload(id)));
    const again = await call(registry, 'GET', location);
    assert.equal(again.status, 404);
    assert.equal(await errorCode(again), 'BLOB_UPLOAD_UNKNOWN');
  });

  test('an idle upload expires and is cleaned up (clock moved, no sleeping)', async () => {
    const post = await call(registry, 'POST', '/v2/expire/repo/blobs/uploads/');
    const location = post.headers.get('location') ?? '';
    await call(registry, 'PATCH', location, { body: 'some bytes', headers: { 'content-type': 'application/octet-stream' } });
    const id = location.split('/').pop() ?? '';
    registry.clock.advance(30_000);
    assert.equal((await call(registry, 'GET', location)).status, 204, 'still alive within the TTL');
    registry.clock.advance(61_000);
    assert.equal((await call(registry, 'GET', location)).status, 404, 'expired sessions answer unknown');
    assert.ok(await registry.storage.uploads.expire() >= 1);
    assert.ok(!existsSync(registry.storage.paths.upload(id)));
    assert.ok(!registry.storage.uploads.list().includes(id));
  });

  test('cross-repository mount, with from and automatic without it', async () => {
    const digest = await pushBlob(registry, 'mount/source', 'shared layer bytes');
    const mounted = await call(registry, 'POST', `/v2/mount/target/blobs/uploads/?mount=${digest}&from=mount/source`);
    assert.equal(mounted.status, 201);
    assert.equal(mounted.headers.get('location'), `/v2/mount/target/blobs/${digest}`);
    assert.equal((await call(registry, 'HEAD', `/v2/mount/target/blobs/${digest}`)).status, 200);
    const auto = await call(registry, 'POST', `/v2/mount/auto/blobs/uploads/?mount=${digest}`);
    assert.equal(auto.status, 201);
    const missing = await call(registry, 'POST', `/v2/mount/target/blobs/uploads/?mount=${sha256('nope')}&from=mount/source`);
    assert.equal(missing.status, 202, 'an unmountable blob gets an upload session instead');
  });

  test('invalid names and digests are refused with the spec codes', async () => {
    const name = await call(registry, 'POST', '/v2/Bad_Name/blobs/uploads/');
    assert.equal(await errorCode(name), 'NAME_INVALID');
    const digest = await call(registry, 'HEAD', '/v2/ok/blobs/sha256:123');
    assert.equal(digest.status, 400);
    const session = await call(registry, 'GET', '/v2/ok/blobs/uploads/../../etc');
    assert.equal(session.status, 404);
  });
});
