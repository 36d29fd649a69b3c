// berthd's own log (--log-level, --log-format): JSON lines with the level's name, the component
// and, for each API request, its request id; text lines in `TIME LEVEL component: message` shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { testCgroupName } from '../runtime/runtime-fixtures.js';

const skip = needsRoot();

function get(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path }, (res) => { res.resume(); res.on('end', () => { resolve(res.statusCode ?? 0); }); });
    req.on('error', reject);
    req.end();
  });
}

describe('berthd\'s log', { skip }, () => {
  let work: string;
  before(async () => { work = await mkdtemp(join(tmpdir(), 'berthd-log-')); });
  after(async () => { await rm(work, { recursive: true, force: true }); });

  test('--log-format json --log-level debug: one JSON object per line, each request with its own reqId', async () => {
    const daemon = await BerthdProcess.start(join(work, 'json'), join(work, 'json.sock'), ['--log-format', 'json', '--log-level', 'debug', '--cgroup-parent', `/${testCgroupName()}`]);
    try {
      assert.equal(await get(daemon.socketPath, '/v1.43/version'), 200);
      assert.equal(await get(daemon.socketPath, '/v1.43/containers/no-such-container/json'), 404);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
    // Node's own warnings (not berthd's lines) would be plain text.
    const lines = daemon.log.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.level === 'info' && l.component === 'berthd' && String(l.msg).includes('serving')), JSON.stringify(lines));
    const requests = lines.filter((l) => l.component === 'api' && l.msg === 'request');
    const version = requests.find((l) => l.url === '/v1.43/version');
    const missing = requests.find((l) => String(l.url).includes('no-such-container'));
    assert.equal(version?.status, 200);
    assert.equal(missing?.status, 404);
    assert.equal(version.level, 'debug');
    assert.match(String(version.reqId), /^req-/);
    assert.notEqual(version.reqId, missing.reqId);
    assert.ok(lines.every((l) => typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time))));
    assert.ok(!lines.some((l) => l.level === 'error'), 'a 404 is the client\'s business, not an error of berthd');
  });

  test('the default is text at info: no request lines, start and stop as `TIME INFO berthd: …`', async () => {
    const daemon = await BerthdProcess.start(join(work, 'text'), join(work, 'text.sock'), ['--cgroup-parent', `/${testCgroupName()}`]);
    try {
      assert.equal(await get(daemon.socketPath, '/_ping'), 200);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
    const text = daemon.log.join('');
    assert.match(text, /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO berthd: berthd \S+: serving /m);
    assert.match(text, /^\S+ INFO berthd: stopped$/m);
    assert.doesNotMatch(text, /DEBUG/);
  });

  test('a bad --log-level is refused naming the option', async () => {
    await assert.rejects(BerthdProcess.start(join(work, 'bad'), join(work, 'bad.sock'), ['--log-level', 'loud']), /--log-level loud: want one of debug, info, warn, error/);
  });
});
