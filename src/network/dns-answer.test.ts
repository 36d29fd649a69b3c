import assert from 'node:assert/strict';
import { test } from 'node:test';
import dnsPacket from 'dns-packet';
import { answerQuery, lookupName, NXDOMAIN } from './dns-answer.js';
import type { EndpointRecord } from './network-store.js';

function endpoint(networkId: string, containerId: string, containerName: string, ip: string, aliases: string[] = []): EndpointRecord {
  return { networkId, containerId: containerId.repeat(64).slice(0, 64), containerName, aliases, ifname: 'eth0', ip, prefixLen: 24, mac: '', ports: [] };
}

const endpoints = [
  endpoint('n1', 'a', 'web', '10.89.0.2', ['site']),
  endpoint('n1', 'b', 'client', '10.89.0.3'),
  endpoint('n2', 'c', 'other', '10.89.1.2'),
  endpoint('n2', 'a', 'web', '10.89.1.3'),
];

test('names resolve only for containers sharing a network with the asker', () => {
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'web'), ['10.89.0.2']);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'SITE.'), ['10.89.0.2']);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'other'), []);
  assert.deepEqual(lookupName(endpoints, '10.89.1.2', 'web'), ['10.89.1.3']);
  assert.deepEqual(lookupName(endpoints, '10.89.1.3', 'client'), ['10.89.0.3']);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'aaaaaaaaaaaa'), ['10.89.0.2']);
  assert.deepEqual(lookupName(endpoints, '192.0.2.9', 'web'), []);
});

test('answerQuery: A answers, NXDOMAIN for unknown short names, forward for dotted names', () => {
  const query = (name: string) => dnsPacket.decode(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }));
  const hit = answerQuery(query('web'), endpoints, '10.89.0.3');
  assert.notEqual(hit, 'forward');
  const decoded = dnsPacket.decode(dnsPacket.encode(hit === 'forward' ? {} : hit));
  assert.equal(decoded.id, 7);
  assert.deepEqual(decoded.answers?.map((a) => a.type === 'A' ? a.data : ''), ['10.89.0.2']);
  const miss = answerQuery(query('nope'), endpoints, '10.89.0.3');
  assert.equal(miss === 'forward' ? -1 : (miss.flags ?? 0) & 0xf, NXDOMAIN);
  assert.equal(answerQuery(query('example.org'), endpoints, '10.89.0.3'), 'forward');
});
