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

test('AAAA answers the IPv6 addresses; a known name without one gets no answer and no error', () => {
  const dual = [
    { ...endpoint('n3', 'd', 'six', '10.89.3.2'), ip6: 'fd00:3::2', prefixLen6: 64 },
    endpoint('n3', 'e', 'four', '10.89.3.3'),
  ];
  assert.deepEqual(lookupName(dual, '10.89.3.3', 'six', 6), ['fd00:3::2']);
  assert.deepEqual(lookupName(dual, 'fd00:3::2', 'four'), ['10.89.3.3']);
  const query = (name: string, type: 'A' | 'AAAA') => dnsPacket.decode(dnsPacket.encode({ type: 'query', id: 9, questions: [{ type, name }] }));
  const six = answerQuery(query('six', 'AAAA'), dual, '10.89.3.3');
  assert.deepEqual(six === 'forward' ? [] : six.answers?.map((a) => (a.type === 'AAAA' ? a.data : '')), ['fd00:3::2']);
  const none = answerQuery(query('four', 'AAAA'), dual, '10.89.3.2');
  assert.ok(none !== 'forward');
  assert.deepEqual(none.answers, []);
  assert.equal((none.flags ?? 0) & 0xf, 0);
});

test('a link alias names its container for the linking container only, on their network', () => {
  const linked = [
    { ...endpoint('n4', 'f', 'web', '10.89.4.2'), links: ['db:database', 'bad:x:y'] },
    endpoint('n4', 'g', 'db', '10.89.4.3'),
    endpoint('n4', 'h', 'other', '10.89.4.4'),
  ];
  assert.deepEqual(lookupName(linked, '10.89.4.2', 'database'), ['10.89.4.3']);
  assert.deepEqual(lookupName(linked, '10.89.4.4', 'database'), []);
});

test('an overlay network answers its names (in the order given, any case) to its containers, before its endpoints', () => {
  const overlays = new Map([['n1', [
    { Name: 'api', Addresses: ['10.89.0.100'] },
    { Name: 'tasks.api', Addresses: ['10.89.0.7', '10.89.0.5'] },
    { Name: 'Web', Addresses: ['10.89.0.9'] },
  ]]]);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'API.', 4, overlays), ['10.89.0.100']);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'tasks.api', 4, overlays), ['10.89.0.7', '10.89.0.5']);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'web', 4, overlays), ['10.89.0.9', '10.89.0.2']);
  // Not to a container off the network, and no IPv6 addresses.
  assert.deepEqual(lookupName(endpoints, '10.89.1.2', 'api', 4, overlays), []);
  assert.deepEqual(lookupName(endpoints, '10.89.0.3', 'api', 6, overlays), []);
  const query = (type: 'A' | 'AAAA') => dnsPacket.decode(dnsPacket.encode({ type: 'query', id: 9, questions: [{ type, name: 'tasks.api' }] }));
  const a = answerQuery(query('A'), endpoints, '10.89.0.3', overlays);
  assert.notEqual(a, 'forward');
  if (a !== 'forward') assert.deepEqual(a.answers?.map((r) => (r.type === 'A' ? r.data : '')), ['10.89.0.7', '10.89.0.5']);
  // A dotted overlay name is answered, not forwarded; AAAA gets no data, no error.
  const aaaa = answerQuery(query('AAAA'), endpoints, '10.89.0.3', overlays);
  assert.notEqual(aaaa, 'forward');
  if (aaaa !== 'forward') assert.deepEqual([aaaa.answers, (aaaa.flags ?? 0) & 0xf], [[], 0]);
});
