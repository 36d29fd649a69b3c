import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwarmNode } from '../../wire/swarm.js';
import { renderTable } from '../format.js';
import { NODE_HEADERS, nodePretty, nodeRows } from './node-output.js';

function node(id: string, hostname: string, fields: Partial<SwarmNode> = {}): SwarmNode {
  return {
    ID: id, Version: { Index: 3 }, CreatedAt: '2026-01-02T03:04:05Z', UpdatedAt: '2026-01-02T03:04:05Z',
    Spec: { Labels: {}, Role: 'worker', Availability: 'active' },
    Description: { Hostname: hostname, Platform: { OS: 'linux', Architecture: 'x86_64' }, Resources: { NanoCPUs: 4e9, MemoryBytes: 8e9 }, Engine: { EngineVersion: '0.9.0' }, TLSInfo: {} },
    Status: { State: 'ready', Addr: '10.0.0.2' },
    ...fields,
  };
}

const leader = node('m1id', 'm1', { ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '10.0.0.2:2377' }, Spec: { Labels: { zone: 'a' }, Role: 'manager', Availability: 'active' } });
const nodes = [
  node('w2id', 'w2', { Status: { State: 'down' }, Spec: { Labels: {}, Role: 'worker', Availability: 'drain' } }),
  leader,
  node('m2id', 'm2', { ManagerStatus: { Leader: false, Reachability: 'unreachable', Addr: '10.0.0.3:2377' } }),
];

test('node ls: by hostname, this node marked, Docker\'s capitalised states', () => {
  assert.equal(renderTable(NODE_HEADERS, nodeRows(nodes, 'm1id')), [
    'ID       HOSTNAME   STATUS   AVAILABILITY   MANAGER STATUS   ENGINE VERSION',
    'm1id *   m1         Ready    Active         Leader           0.9.0',
    'm2id     m2         Ready    Active         Unreachable      0.9.0',
    'w2id     w2         Down     Drain                           0.9.0',
  ].join('\n'));
});

test('node inspect --pretty', () => {
  assert.equal(nodePretty(leader), [
    'ID:                 m1id',
    'Labels:',
    ' - zone:            a',
    'Hostname:           m1',
    'Joined at:          2026-01-02T03:04:05Z',
    'Status:',
    ' State:             Ready',
    ' Availability:      Active',
    ' Address:           10.0.0.2',
    'Manager Status:',
    ' Address:           10.0.0.2:2377',
    ' Status:            Leader',
    ' Leader:            Yes',
    'Platform:',
    ' Operating System:  linux',
    ' Architecture:      x86_64',
    'Resources:',
    ' CPUs:              4',
    ' Memory:            8GB',
    'Engine Version:     0.9.0',
  ].join('\n'));
});
