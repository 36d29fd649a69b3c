import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDenied, policyScript, policyTable } from './policy-rules.js';

const ID = 'cd34'.repeat(16);
const table = policyTable(ID);

test('a guarded address: its interface only, replies pass, each rule by source, protocol and port, new connections counted per guarding policy then dropped', () => {
  const script = policyScript(ID, 'eth1', '10.0.1.5', [
    { Name: 'web-in', Targets: ['10.0.1.5', '10.0.1.6'], Rules: [
      { Sources: ['10.0.1.9/32', '10.1.0.0/16'], Ports: [{ Protocol: 'tcp', Port: 80 }, { Protocol: 'udp', Port: 53 }, { Protocol: 'tcp', Port: 443 }] },
      { Sources: null, Ports: [{ Protocol: 'tcp', Port: 8080 }] },
      { Sources: [], Ports: [] },
    ] },
    { Name: 'ops', Targets: ['10.0.1.5'], Rules: [{ Sources: ['10.0.9.0/24'], Ports: [] }] },
    { Name: 'other', Targets: ['10.0.1.7'], Rules: [{ Sources: null, Ports: [] }] },
  ]);
  assert.equal(script, [
    `table ip ${table}`, `delete table ip ${table}`, `table ip ${table} {`,
    '  counter denied-web-in { }', '  counter denied-ops { }',
    '  chain input {', '    type filter hook input priority 0; policy accept;', '    iifname != "eth1" accept', '    ct state established,related accept',
    '    ip saddr { 10.0.1.9/32, 10.1.0.0/16 } tcp dport { 80, 443 } accept',
    '    ip saddr { 10.0.1.9/32, 10.1.0.0/16 } udp dport { 53 } accept',
    '    tcp dport { 8080 } accept',
    '    ip saddr { 10.0.9.0/24 } accept',
    '    ct state new counter name "denied-web-in" counter name "denied-ops" drop', '    drop', '  }', '}', '',
  ].join('\n'));
});

test('an address no policy guards: the table is only removed; counters are read back by policy', () => {
  assert.equal(policyScript(ID, 'eth1', '10.0.1.8', [{ Name: 'x', Targets: ['10.0.1.5'], Rules: [] }]), `table ip ${table}\ndelete table ip ${table}\n`);
  const json = JSON.stringify({ nftables: [{ metainfo: {} }, { counter: { family: 'ip', name: 'denied-web-in', table, packets: 3, bytes: 180 } }, { counter: { name: 'other', packets: 9 } }] });
  assert.deepEqual([...parseDenied(json)], [['web-in', 3]]);
});
