// Hijacked attach at the HTTP level, as the docker CLI does it: a TTY container, its size set
// through /resize, input echoed back through the pty, and ctrl-p ctrl-q detaching the client
// while the container keeps running. Needs root, runc and conmon.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { CliFixture, needsRoot } from '../cli/cli-fixture.js';

/** POST with `Upgrade: tcp`; resolves with the raw socket after `101 UPGRADED`. */
function upgrade(socketPath: string, path: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'POST', headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
    req.on('upgrade', (res, socket) => {
      assert.equal(res.statusCode, 101);
      resolve(socket);
    });
    req.on('response', (res) => { reject(new Error(`no upgrade: ${res.statusCode ?? 0}`)); });
    req.on('error', reject);
    req.end();
  });
}

function call(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => { resolve({ status: res.statusCode ?? 0, text }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Reads from `socket` until `pattern` shows up in everything read so far. */
function readUntil(socket: Duplex, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (pattern.test(seen)) {
        socket.off('data', onData);
        resolve(seen);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => { if (!pattern.test(seen)) reject(new Error(`closed before ${String(pattern)}: ${JSON.stringify(seen)}`)); });
  });
}

describe('hijacked attach with a TTY', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => { await f.cleanup(); });

  test('resize reaches the pty, input comes back, ctrl-p ctrl-q detaches and the container keeps running', async () => {
    const created = await call(f.socketPath, 'POST', '/v1.43/containers/create?name=tty1', {
      Image: 'busybox', Cmd: ['sh'], Tty: true, OpenStdin: true, HostConfig: { NetworkMode: 'none' },
    });
    assert.equal(created.status, 201, created.text);
    const socket = await upgrade(f.socketPath, '/v1.43/containers/tty1/attach?stream=1&stdin=1&stdout=1&stderr=1');
    const closed = new Promise<void>((resolve) => { socket.once('close', () => { resolve(); }); });
    assert.equal((await call(f.socketPath, 'POST', '/v1.43/containers/tty1/start')).status, 204);
    assert.equal((await call(f.socketPath, 'POST', '/v1.43/containers/tty1/resize?h=27&w=91')).status, 200);
    const reply = readUntil(socket, /size=27 91/);
    socket.write('echo size=$(stty size)\n');
    await reply;
    socket.write(Buffer.from([0x10, 0x11]));
    await closed;
    const state = JSON.parse((await call(f.socketPath, 'GET', '/v1.43/containers/tty1/json')).text) as { State: { Running: boolean } };
    assert.equal(state.State.Running, true);
    assert.equal((await call(f.socketPath, 'DELETE', '/v1.43/containers/tty1?force=1')).status, 204);
  });
});
