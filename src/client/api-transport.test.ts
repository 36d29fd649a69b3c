import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../base/errors.js';
import { ApiTransport } from './api-transport.js';

/** A server on a unix socket that keeps each request's headers; `/denied` answers 401, upgrades get 101. */
describe('the bearer token on every request', () => {
  let dir: string;
  let socketPath: string;
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-transport-'));
    socketPath = join(dir, 'api.sock');
    server = createServer((req, res) => {
      seen.push(req.headers);
      if (req.url?.endsWith('/denied') === true) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"the bearer token is not valid (unknown, revoked or expired)"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    server.on('upgrade', (req, socket) => {
      seen.push(req.headers);
      socket.end('HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    });
    server.listen(socketPath);
    await once(server, 'listening');
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('whole answers, streams and upgrades carry Authorization; without a token, none does', async () => {
    const api = new ApiTransport(socketPath, { token: { value: 'berth_secret\n', from: 'BERTH_TOKEN' } });
    seen.length = 0;
    await api.json('GET', '/containers/json');
    (await api.open('GET', '/events')).resume();
    (await api.hijack('POST', '/containers/x/attach')).socket.destroy();
    assert.deepEqual(seen.map((h) => h.authorization), ['Bearer berth_secret', 'Bearer berth_secret', 'Bearer berth_secret']);
    seen.length = 0;
    await new ApiTransport(socketPath).call('GET', '/_ping');
    assert.equal(seen[0]?.authorization, undefined);
  });

  test('a 401 says where the token came from, and not what it is', async () => {
    const api = new ApiTransport(socketPath, { token: { value: 'berth_secret', from: 'BERTH_TOKEN' } });
    await assert.rejects(api.call('GET', '/denied'), (err: unknown) => {
      assert.ok(err instanceof BerthError);
      assert.equal(err.kind, 'unauthenticated');
      assert.equal(err.message, 'the bearer token is not valid (unknown, revoked or expired); the token sent came from BERTH_TOKEN');
      return true;
    });
    await assert.rejects(new ApiTransport(socketPath).call('GET', '/denied'), { message: 'the bearer token is not valid (unknown, revoked or expired)' });
  });
});
