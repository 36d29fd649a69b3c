import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { newDataKey, openSealed, sealData } from './secret-sealing.js';

const now = new Date('2026-12-07T08:00:00Z');

test('a sealed value opens with its key and object id, and never shows the plain bytes', () => {
  const key = newDataKey(now);
  const plain = Buffer.from('hunter2-the-password');
  const sealed = sealData(key, 'secret1', plain);
  assert.equal(sealed.keyId, key.id);
  assert.equal(Buffer.from(sealed.nonce, 'base64').length, 12);
  assert.ok(!Buffer.from(sealed.ciphertext, 'base64').includes(plain));
  assert.deepEqual(openSealed(key, 'secret1', sealed), plain);
});

test('every sealing takes a new nonce', () => {
  const key = newDataKey(now);
  const a = sealData(key, 's', Buffer.from('same'));
  const b = sealData(key, 's', Buffer.from('same'));
  assert.notEqual(a.nonce, b.nonce);
  assert.notEqual(a.ciphertext, b.ciphertext);
});

test('another key, another object id or tampered bytes are refused', () => {
  const key = newDataKey(now);
  const sealed = sealData(key, 'secret1', Buffer.from('value'));
  const other = newDataKey(now);
  assert.throws(() => openSealed(other, 'secret1', sealed), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'data-key-mismatch');
  assert.throws(() => openSealed({ ...other, id: key.id }, 'secret1', sealed), (err) => isBerthError(err, 'data-loss') && err.reason === 'sealed-data-corrupt');
  assert.throws(() => openSealed(key, 'secret2', sealed), (err) => isBerthError(err, 'data-loss'));
  const bytes = Buffer.from(sealed.ciphertext, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  assert.throws(() => openSealed(key, 'secret1', { ...sealed, ciphertext: bytes.toString('base64') }), (err) => isBerthError(err, 'data-loss'));
  assert.throws(() => openSealed(key, 'secret1', { ...sealed, nonce: 'AAAA' }), (err) => isBerthError(err, 'data-loss'));
});
