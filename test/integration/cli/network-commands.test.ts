// The berth CLI's network commands against a real berthd: network create/ls/inspect/connect/
// disconnect/rm/prune, run --network with --network-alias, -p on 127.0.0.1 and --add-host
// host-gateway. Traffic goes only to loopback and to the containers the test starts. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../engine/engine-fixture.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { sweepLeftovers } from '../runtime/runtime-fixtures.js';
import { CliFixture, FULL_ID, needsRoot } from './cli-fixture.js';

const WEB = 'mkdir -p /www && echo cli-web > /www/index.html && exec httpd -f -p 80 -h /www';

describe('berth CLI: networks through berthd', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => {
    await f.cleanup();
    await sweepLeftovers();
  });

  test('network create, ls, inspect; run --network with an alias; --add-host host-gateway', async () => {
    const id = (await f.ok(['network', 'create', '--subnet', '10.213.7.0/24', 'clinet'])).trim();
    assert.match(id, FULL_ID);
    const table = await f.ok(['network', 'ls']);
    assert.match(table, /^NETWORK ID +NAME +DRIVER +SCOPE +SUBNET +INTERNAL$/m);
    assert.match(table, /clinet +bridge +local +10\.213\.7\.0\/24/);
    const [net] = JSON.parse(await f.ok(['network', 'inspect', 'clinet'])) as { Id: string; IPAM: { Config: { Subnet: string; Gateway?: string }[] } }[];
    assert.equal(net?.Id, id);
    // As dockerd: the pool as given (no gateway was); the gateway in use is the subnet's first address (see host-gateway below).
    assert.deepEqual(net.IPAM.Config, [{ Subnet: '10.213.7.0/24' }]);
    await f.ok(['run', '-d', '--name', 'web', '--network', 'clinet', '--network-alias', 'www', 'busybox', 'sh', '-c', WEB]);
    const out = await f.ok(['run', '--rm', '--network', 'clinet', '--add-host', 'gw:host-gateway', 'busybox', 'sh', '-c',
      'for i in 1 2 3 4 5; do timeout 3 wget -qO- http://www/ && break; sleep 1; done; grep -w gw /etc/hosts']);
    assert.equal(out, 'cli-web\n10.213.7.1\tgw\n');
  });

  test('run -p 127.0.0.1:PORT:80 answers from the host', async () => {
    const port = await freeLoopbackPort();
    await f.ok(['run', '-d', '--name', 'pub', '-p', `127.0.0.1:${port}:80`, 'busybox', 'sh', '-c', WEB]);
    let body = '';
    await eventually('the published port to answer', async () => {
      body = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text(), () => '');
      return body !== '';
    });
    assert.equal(body, 'cli-web\n');
  });

  test('network connect/disconnect, rm of a network in use fails, prune removes the unused', async () => {
    await f.ok(['network', 'connect', '--alias', 'pubweb', 'clinet', 'pub']);
    const out = await f.ok(['run', '--rm', '--network', 'clinet', 'busybox', 'timeout', '3', 'wget', '-qO-', 'http://pubweb/']);
    assert.equal(out, 'cli-web\n');
    await f.ok(['network', 'disconnect', 'clinet', 'pub']);
    const rm = await f.cli(['network', 'rm', 'clinet']);
    assert.notEqual(rm.code, 0);
    await f.ok(['rm', '-f', 'web', 'pub']);
    assert.equal(await f.ok(['network', 'prune']), 'Deleted Networks:\nclinet\n');
    assert.deepEqual((await f.ok(['network', 'ls', '-q'])).trim().split('\n').length, 1);
  });
});
