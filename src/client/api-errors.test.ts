import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionError, errorFromResponse, kindOfStatus } from './api-errors.js';
import { socketPathOf } from './api-host.js';

test('HTTP statuses map back to error kinds', () => {
  assert.deepEqual([400, 401, 403, 404, 409, 418, 429, 500, 502, 503].map(kindOfStatus),
    ['invalid-argument', 'unauthenticated', 'permission-denied', 'not-found', 'conflict', 'invalid-argument', 'resource-exhausted', 'internal', 'internal', 'unavailable']);
});

test('Docker error bodies keep the daemon\'s message; other bodies their text', () => {
  const err = errorFromResponse(404, Buffer.from('{"message":"No such container: x"}'), 'GET /containers/x/json');
  assert.equal(err.kind, 'not-found');
  assert.equal(err.message, 'No such container: x');
  assert.equal(errorFromResponse(500, Buffer.from('boom'), 'x').message, 'boom');
  assert.equal(errorFromResponse(502, Buffer.alloc(0), 'GET /x').message, 'GET /x: HTTP 502');
});

test('no daemon: unavailable, naming the socket and how to start berthd', () => {
  const err = connectionError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), '/run/x.sock');
  assert.equal(err.kind, 'unavailable');
  assert.match(err.message, /unix:\/\/\/run\/x\.sock.*berthd/);
  assert.equal(connectionError(Object.assign(new Error('x'), { code: 'EACCES' }), '/s').kind, 'permission-denied');
});

test('hosts: unix URLs or socket paths only', () => {
  assert.equal(socketPathOf('unix:///run/berth/berth.sock'), '/run/berth/berth.sock');
  assert.equal(socketPathOf('/tmp/b.sock'), '/tmp/b.sock');
  assert.throws(() => socketPathOf('tcp://1.2.3.4:2375'), /want unix:\/\/\//);
});
