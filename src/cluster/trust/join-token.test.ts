import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BerthError } from '../../base/errors.js';
import { caDigest, createClusterCa, type ClusterCa } from './cluster-ca.js';
import { hashJoinSecret, joinSecretMatches, makeJoinToken, newJoinSecret, parseJoinToken } from './join-token.js';

const NOW = new Date('2030-01-02T03:04:05Z');

describe('join tokens', () => {
  let ca: ClusterCa;
  let other: ClusterCa;
  before(async () => {
    ca = await createClusterCa('cluster-a', NOW);
    other = await createClusterCa('cluster-a', NOW);
  });

  it('round-trips: the token carries the CA digest and the secret', () => {
    const secret = newJoinSecret();
    assert.match(secret, /^[0-9a-z]{25}$/);
    const token = makeJoinToken(ca.certPem, secret);
    assert.match(token, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
    assert.deepEqual(parseJoinToken(token), { caDigest: caDigest(ca.certPem), secret });
    assert.match(caDigest(ca.certPem), /^[0-9a-f]{64}$/);
  });

  it('shows a CA other than the one it pins', () => {
    const parsed = parseJoinToken(makeJoinToken(ca.certPem, newJoinSecret()));
    assert.notEqual(parsed.caDigest, caDigest(other.certPem));
  });

  it('reads the base-36 digest as Swarm writes it (leading zeros kept)', () => {
    const token = `SWMTKN-1-${'0'.repeat(49)}z-${'a'.repeat(25)}`;
    assert.equal(parseJoinToken(token).caDigest, `${'0'.repeat(62)}23`);
  });

  it('refuses malformed tokens, naming what is wrong', () => {
    const digest = '1'.repeat(50);
    const secret = 'a'.repeat(25);
    const cases: [string, RegExp][] = [
      ['', /4 parts/],
      [`SWMTKN-1-${digest}`, /4 parts/],
      [`SWMTKN-1-${digest}-${secret}-x`, /4 parts/],
      [`XXTKN-1-${digest}-${secret}`, /start with "SWMTKN-"/],
      [`SWMTKN-2-${digest}-${secret}`, /version "2"/],
      [`SWMTKN-1-${digest.slice(1)}-${secret}`, /CA digest must be 50/],
      [`SWMTKN-1-${digest.toUpperCase().replace(/1/g, 'A')}-${secret}`, /CA digest must be 50/],
      [`SWMTKN-1-${'z'.repeat(50)}-${secret}`, /larger than a sha256/],
      [`SWMTKN-1-${digest}-${secret}0`, /secret must be 25/],
      [`SWMTKN-1-${digest}-${secret.slice(1)}_`, /secret must be 25/],
    ];
    for (const [token, message] of cases) {
      assert.throws(() => parseJoinToken(token), (err) => err instanceof BerthError && err.kind === 'invalid-argument'
        && err.reason === 'invalid-join-token' && message.test(err.message), token);
    }
    assert.throws(() => makeJoinToken(ca.certPem, 'short'), (err) => err instanceof BerthError && err.reason === 'invalid-join-secret');
  });

  it('compares a secret with its hash', () => {
    const secret = newJoinSecret();
    const hash = hashJoinSecret(secret);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(joinSecretMatches(secret, hash), true);
    assert.equal(joinSecretMatches(newJoinSecret(), hash), false);
    assert.equal(joinSecretMatches(secret, 'not a hash'), false);
  });
});
