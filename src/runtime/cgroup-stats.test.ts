import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlkioV1, parseFlatKeyed, parseIoStatV2 } from './cgroup-stats.js';
import { parseNetDev } from './net-dev.js';

test('flat-keyed files become records, non-numeric lines are skipped', () => {
  assert.deepEqual(parseFlatKeyed('cache 4096\nrss 8192\nbogus x\n\n'), { cache: 4096, rss: 8192 });
});

test('v1 blkio and v2 io.stat give per-device byte counts', () => {
  assert.deepEqual(parseBlkioV1('8:0 Read 4096\n8:0 Write 512\nTotal 4608\n'), [
    { major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 512 },
  ]);
  assert.deepEqual(parseIoStatV2('254:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n'), [
    { major: 254, minor: 0, op: 'Read', value: 1024 }, { major: 254, minor: 0, op: 'Write', value: 2048 },
  ]);
});

test('net/dev counters leave loopback out', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0:    5000      40    1    2    0     0          0         0     3000      30    0    3    0     0       0          0
`;
  const counters = parseNetDev(text);
  assert.deepEqual([...counters.keys()], ['eth0']);
  assert.deepEqual(counters.get('eth0'), { rxBytes: 5000, rxPackets: 40, rxErrors: 1, rxDropped: 2, txBytes: 3000, txPackets: 30, txErrors: 0, txDropped: 3 });
});
