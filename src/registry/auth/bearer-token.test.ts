import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenSigner } from './bearer-token.js';

test('tokens verify until they expire, and only with the right key and audience', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const signer = new TokenSigner(Buffer.from('k'.repeat(32)), 'berth', 'svc');
  const token = signer.sign('alice', [{ type: 'repository', name: 'a', actions: ['pull'] }], 60, now);
  assert.equal(signer.verify(token, now)?.sub, 'alice');
  assert.equal(signer.verify(token, new Date(now.getTime() + 61_000)), undefined);
  assert.equal(new TokenSigner(Buffer.from('x'.repeat(32)), 'berth', 'svc').verify(token, now), undefined);
  assert.equal(new TokenSigner(Buffer.from('k'.repeat(32)), 'berth', 'other').verify(token, now), undefined);
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'root' })).toString('base64url')}.${s}`;
  assert.equal(signer.verify(forged, now), undefined);
});
