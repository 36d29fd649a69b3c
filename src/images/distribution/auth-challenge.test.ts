import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges } from './auth-challenge.js';

test('a Bearer challenge with quoted parameters', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
  ]);
});

test('Basic, unquoted values, spaces, escapes and several challenges', () => {
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges('Bearer realm = "a\\"b" , error=invalid_token, Basic realm=x'), [
    { scheme: 'bearer', params: { realm: 'a"b', error: 'invalid_token' } },
    { scheme: 'basic', params: { realm: 'x' } },
  ]);
  assert.deepEqual(parseChallenges('Negotiate abc123==, Basic realm="r"'), [{ scheme: 'negotiate', params: {} }, { scheme: 'basic', params: { realm: 'r' } }]);
  assert.deepEqual(parseChallenges(''), []);
});

test('a scope with commas and colons stays whole', () => {
  const [challenge] = parseChallenges('Bearer realm="http://127.0.0.1:5001/token",scope="repository:a/b:pull,push repository:c:pull"');
  assert.equal(challenge?.params.scope, 'repository:a/b:pull,push repository:c:pull');
});
