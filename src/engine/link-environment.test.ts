import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkEnvironment, linkHostsLine } from './link-environment.js';

const ip = '172.17.0.2';

test("dockerd's variables: the lowest port, runs of three or more ports, each port, the name and the Env", () => {
  const env = linkEnvironment({
    linkName: '/cli/r-g', ip, env: ['novalue', 'K=v=w', 'PATH=/bin', 'HOME=/root', 'HOSTNAME=x'],
    ports: [{ port: 9001, protocol: 'tcp' }, { port: 8000, protocol: 'tcp' }, { port: 80, protocol: 'udp' }, { port: 8001, protocol: 'tcp' },
      { port: 80, protocol: 'tcp' }, { port: 8002, protocol: 'udp' }, { port: 9000, protocol: 'tcp' }],
  });
  const port = (n: number, proto: string) => [`R_G_PORT_${n}_${proto.toUpperCase()}=${proto}://${ip}:${n}`, `R_G_PORT_${n}_${proto.toUpperCase()}_ADDR=${ip}`,
    `R_G_PORT_${n}_${proto.toUpperCase()}_PORT=${n}`, `R_G_PORT_${n}_${proto.toUpperCase()}_PROTO=${proto}`];
  assert.deepEqual(env, [
    `R_G_PORT=tcp://${ip}:80`,
    `R_G_PORT_8000_TCP_START=tcp://${ip}:8000`, `R_G_PORT_8000_TCP_ADDR=${ip}`, 'R_G_PORT_8000_TCP_PROTO=tcp', 'R_G_PORT_8000_TCP_PORT_START=8000',
    `R_G_PORT_8000_UDP_END=udp://${ip}:8002`, 'R_G_PORT_8000_UDP_PORT_END=8002',
    ...port(80, 'tcp'), ...port(80, 'udp'), ...port(8000, 'tcp'), ...port(8001, 'tcp'), ...port(8002, 'udp'), ...port(9000, 'tcp'), ...port(9001, 'tcp'),
    'R_G_NAME=/cli/r-g', 'R_G_ENV_K=v=w',
  ]);
});

test('no ports: only the name and the Env', () => {
  assert.deepEqual(linkEnvironment({ linkName: '/p/db', ip, env: ['A='], ports: [] }), ['DB_NAME=/p/db', 'DB_ENV_A=']);
});

test('hosts line: alias, hostname, and the name unless it is the alias', () => {
  assert.equal(linkHostsLine('db', ip, 'abc123', 'web'), `${ip}\tdb abc123 web`);
  assert.equal(linkHostsLine('web', ip, 'abc123', 'web'), `${ip}\tweb abc123`);
  assert.equal(linkHostsLine('al/x', ip, 'h', 'web'), `${ip}\tx h web`);
});
