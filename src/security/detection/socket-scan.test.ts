import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newSockets, socketsOfTable } from './socket-scan.js';

const RAW = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
  '    1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 123456 2 0000000000000000 0',
].join('\n');
const PACKET = [
  'sk               RefCnt Type Proto  Iface R Rmem   User   Inode',
  '0000000000000000 3      3    0003   0     1 0      0      654321',
].join('\n');

describe('socket scan', () => {
  it('reads raw and packet sockets from the kernel\'s tables', () => {
    assert.deepEqual(socketsOfTable('raw', RAW), [{ inode: 123456, protocol: '1' }]);
    assert.deepEqual(socketsOfTable('packet', PACKET), [{ inode: 654321, protocol: '0x0003' }]);
    assert.deepEqual(socketsOfTable('raw', RAW.split('\n')[0] ?? ''), []);
  });

  it('reports each socket once while it stays open, and again once its inode is reused after a close', () => {
    const seen = new Set<number>();
    const raw = { kind: 'raw', inode: 5, protocol: '1' } as const;
    assert.equal(newSockets('c', [raw], seen).length, 1);
    assert.equal(newSockets('c', [raw], seen).length, 0);
    assert.equal(newSockets('c', [], seen).length, 0);
    assert.deepEqual(newSockets('c', [raw], seen), [{ ev: 'socket', cid: 'c', ...raw }]);
  });
});
