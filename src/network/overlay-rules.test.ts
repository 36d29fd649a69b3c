import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arpGuardChains, arpGuardRemoveScript, arpGuardScript, balancerScript, balancerTable } from './overlay-rules.js';

const ID = '0123456789ab'.padEnd(64, 'c');

test('the ARP guard drops ARP about the gateway on the VXLAN port, in and out, in chains of its own', () => {
  assert.deepEqual(arpGuardChains(ID), ['in-0123456789ab', 'fwd-0123456789ab', 'out-0123456789ab']);
  const script = arpGuardScript(ID, '10.0.9.1');
  assert.equal(script, [
    'add table bridge berth-overlay',
    'add chain bridge berth-overlay in-0123456789ab { type filter hook input priority 0; policy accept; }',
    'flush chain bridge berth-overlay in-0123456789ab',
    'add rule bridge berth-overlay in-0123456789ab iifname "vx-0123456789ab" arp saddr ip 10.0.9.1 drop',
    'add rule bridge berth-overlay in-0123456789ab iifname "vx-0123456789ab" arp daddr ip 10.0.9.1 drop',
    'add chain bridge berth-overlay fwd-0123456789ab { type filter hook forward priority 0; policy accept; }',
    'flush chain bridge berth-overlay fwd-0123456789ab',
    'add rule bridge berth-overlay fwd-0123456789ab iifname "vx-0123456789ab" arp saddr ip 10.0.9.1 drop',
    'add rule bridge berth-overlay fwd-0123456789ab iifname "vx-0123456789ab" arp daddr ip 10.0.9.1 drop',
    'add rule bridge berth-overlay fwd-0123456789ab oifname "vx-0123456789ab" arp saddr ip 10.0.9.1 drop',
    'add rule bridge berth-overlay fwd-0123456789ab oifname "vx-0123456789ab" arp daddr ip 10.0.9.1 drop',
    'add chain bridge berth-overlay out-0123456789ab { type filter hook output priority 0; policy accept; }',
    'flush chain bridge berth-overlay out-0123456789ab',
    'add rule bridge berth-overlay out-0123456789ab oifname "vx-0123456789ab" arp saddr ip 10.0.9.1 drop',
    'add rule bridge berth-overlay out-0123456789ab oifname "vx-0123456789ab" arp daddr ip 10.0.9.1 drop',
    '',
  ].join('\n'));
  // Removal declares before deleting, so it never fails on a missing chain.
  assert.match(arpGuardRemoveScript(ID), /add chain bridge berth-overlay out-0123456789ab\n(.*\n){2}delete chain bridge berth-overlay out-0123456789ab\n$/);
});

test('balancers: round robin over several backends, one DNAT for one, reject without backends; one transaction', () => {
  assert.equal(balancerTable(ID), 'berth-lb-0123456789ab');
  assert.equal(balancerScript(ID, [
    { Vip: '10.0.9.100', Backends: ['10.0.9.2', '10.0.9.3', '10.0.9.2'] },
    { Vip: '10.0.9.101', Backends: ['10.0.9.4'] },
    { Vip: '10.0.9.102', Backends: [] },
    { Vip: '10.0.9.100', Backends: ['10.0.9.9'] },
  ]), [
    'table ip berth-lb-0123456789ab',
    'delete table ip berth-lb-0123456789ab',
    'table ip berth-lb-0123456789ab {',
    '  chain nat-output {',
    '    type nat hook output priority -100; policy accept;',
    '    ip daddr 10.0.9.100 dnat to numgen inc mod 2 map { 0 : 10.0.9.2, 1 : 10.0.9.3 }',
    '    ip daddr 10.0.9.101 dnat to 10.0.9.4',
    '  }',
    '  chain filter-output {',
    '    type filter hook output priority 0; policy accept;',
    '    ip daddr { 10.0.9.102 } meta l4proto tcp reject with tcp reset',
    '    ip daddr { 10.0.9.102 } reject with icmp type host-unreachable',
    '  }',
    '}',
    '',
  ].join('\n'));
});

test('no balancers: the table is only removed', () => {
  assert.equal(balancerScript(ID, []), 'table ip berth-lb-0123456789ab\ndelete table ip berth-lb-0123456789ab\n');
});
