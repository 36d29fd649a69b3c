import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from './token-store.js';

describe('TokenStore', () => {
  it('keeps only hashes, authenticates, expires and revokes', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'berth-tokens-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    let now = new Date('2026-01-01T00:00:00Z');
    const clock = { now: () => now };
    const store = await TokenStore.open(root, { clock });
    const { token, record } = await store.create({ name: 'ci', role: 'viewer', expiresAt: new Date('2026-01-02T00:00:00Z') });
    assert.match(token, /^berth_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(record, { name: 'ci', role: 'viewer', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z' });
    const file = await readFile(join(root, 'access', 'tokens.json'), 'utf8');
    assert.ok(!file.includes(token.slice(6)));
    assert.equal((await stat(join(root, 'access', 'tokens.json'))).mode & 0o777, 0o600);
    assert.equal((await TokenStore.open(root, { clock })).authenticate(token).name, 'ci');
    assert.throws(() => store.authenticate(`${token}x`), { kind: 'unauthenticated' });
    await assert.rejects(store.create({ name: 'ci', role: 'admin' }), { kind: 'already-exists' });
    now = new Date('2026-01-03T00:00:00Z');
    assert.throws(() => store.authenticate(token), { kind: 'unauthenticated' });
    const second = await store.create({ name: 'deploy', role: 'operator' });
    assert.equal(store.authenticate(second.token).role, 'operator');
    await store.remove('deploy');
    assert.throws(() => store.authenticate(second.token), { kind: 'unauthenticated' });
    await assert.rejects(store.remove('deploy'), { kind: 'not-found' });
    assert.deepEqual((await TokenStore.open(root, { clock })).list().map((t2) => t2.name), ['ci']);
  });

  it('names a refused secret for the audit trail without the secret', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'berth-tokens-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    let now = new Date('2026-01-01T00:00:00Z');
    const store = await TokenStore.open(root, { clock: { now: () => now } });
    const { token } = await store.create({ name: 'ci', role: 'viewer', expiresAt: new Date('2026-01-02T00:00:00Z') });
    const unknown = store.describeRejected('berth_not-a-token');
    assert.match(unknown, /^unknown token sha256:[0-9a-f]{8}$/);
    assert.equal(store.describeRejected('berth_not-a-token'), unknown);
    assert.notEqual(store.describeRejected('berth_another'), unknown);
    now = new Date('2026-01-03T00:00:00Z');
    assert.equal(store.describeRejected(token), 'token ci (expired)');
    assert.ok(!store.describeRejected(token).includes(token.slice(6)));
  });
});
