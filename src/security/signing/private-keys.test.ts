import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes, scryptSync, sign, verify } from 'node:crypto';
import nacl from 'tweetnacl';
import { generateKeyPair, readPrivateKey } from './private-keys.js';
import { readPublicKey } from './public-keys.js';

/** A key sealed the way go-securesystemslib's encrypted.Encrypt does (what cosign generate-key-pair writes), built here by hand. */
function sealedAsGo(password: string, label: string): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = scryptSync(Buffer.from(password), salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const ciphertext = nacl.secretbox(privateKey.export({ format: 'der', type: 'pkcs8' }), nonce, key);
  // Go's json.Marshal: struct field order, []byte as standard base64.
  const json = `{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"${salt.toString('base64')}"},"cipher":{"name":"nacl/secretbox","nonce":"${nonce.toString('base64')}"},"ciphertext":"${Buffer.from(ciphertext).toString('base64')}"}`;
  const body = Buffer.from(json).toString('base64').match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

describe('cosign private keys', () => {
  it('generates a pair whose private half opens with the password and signs for the public half', () => {
    const pair = generateKeyPair('secret');
    assert.match(pair.privatePem, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    assert.match(pair.publicPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const key = readPrivateKey(pair.privatePem, 'secret', 'cosign.key');
    const signature = sign('sha256', Buffer.from('payload'), key);
    assert.ok(verify('sha256', Buffer.from('payload'), readPublicKey(pair.publicPem, 'cosign.pub'), signature));
  });

  it('reads keys sealed as cosign seals them, under both PEM labels', () => {
    for (const label of ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY']) {
      const key = readPrivateKey(sealedAsGo('pw', label), 'pw', 'cosign.key');
      assert.equal(createPublicKey(key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    }
  });

  it('names the file when the password is wrong, the parameters are unexpected, or the text is no key', () => {
    const pem = sealedAsGo('pw', 'ENCRYPTED SIGSTORE PRIVATE KEY');
    assert.throws(() => readPrivateKey(pem, 'nope', 'k.key'), { reason: 'wrong-key-password', message: 'k.key: wrong password for the private key (set COSIGN_PASSWORD)' });
    const body = Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64').toString().replace('"N":32768', '"N":1073741824');
    const tampered = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(body).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    assert.throws(() => readPrivateKey(tampered, 'pw', 'k.key'), /k\.key: unexpected scrypt parameters N=1073741824/);
    assert.throws(() => readPrivateKey('hello', '', 'k.key'), /k\.key: not a private key/);
  });

  it('takes an unencrypted P-256 PEM and refuses other curves', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.ok(readPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), '', 'k.pem'));
    const other = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.throws(() => readPrivateKey(other, '', 'k.pem'), /k\.pem: only ECDSA P-256 keys are supported \(this is ec secp384r1\)/);
  });
});
