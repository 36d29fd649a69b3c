import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portsColumn } from './ports-column.js';

test('PORTS as docker ps prints them', () => {
  assert.equal(portsColumn([
    { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { IP: '0.0.0.0', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
    { PrivatePort: 443, Type: 'tcp' },
  ]), '127.0.0.1:8080->80/tcp, 0.0.0.0:5353->53/udp, 443/tcp');
  assert.equal(portsColumn([]), '');
});
