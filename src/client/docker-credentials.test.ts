import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { ChildProcessRunner } from '../base/process-runner.js';
import { decodeRegistryAuthHeader, encodeRegistryAuthHeader } from '../wire/registry-auth.js';
import { CredentialStore, decodeAuth, encodeAuth } from './docker-credentials.js';

test('auth is base64 of user:password; a password may hold colons', () => {
  assert.equal(encodeAuth({ username: 'alice', password: 'se:cr:et' }), Buffer.from('alice:se:cr:et').toString('base64'));
  assert.deepEqual(decodeAuth(Buffer.from('alice:se:cr:et').toString('base64')), { username: 'alice', password: 'se:cr:et' });
  assert.equal(decodeAuth(Buffer.from('nocolon').toString('base64')), undefined);
});

test('X-Registry-Auth round-trips; empty and {} are anonymous; garbage is invalid-argument', () => {
  const header = encodeRegistryAuthHeader({ username: 'bob', password: 'p?>' }, '127.0.0.1:5000');
  assert.doesNotMatch(header, /[+/=]/);
  assert.deepEqual(decodeRegistryAuthHeader(header), { username: 'bob', password: 'p?>' });
  assert.equal(decodeRegistryAuthHeader(undefined), undefined);
  assert.equal(decodeRegistryAuthHeader(Buffer.from('{}').toString('base64url')), undefined);
  assert.throws(() => decodeRegistryAuthHeader('%%%not-json'), (err) => isBerthError(err, 'invalid-argument'));
});

test('config.json: set keeps other fields, Docker Hub uses its v1 key, get finds https:// keys, remove', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-creds-'));
  try {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'https://registry.lan:5000/v2/': { auth: encodeAuth({ username: 'u', password: 'p' }) } }, psFormat: 'x' }));
    const store = new CredentialStore(new ChildProcessRunner(), dir);
    assert.deepEqual(await store.get('registry.lan:5000'), { username: 'u', password: 'p' });
    await store.set('docker.io', { username: 'hub', password: 'pw' });
    await store.set('registry.lan:5000', { username: 'u2', password: 'p2' });
    const written = JSON.parse(await readFile(store.path, 'utf8')) as { auths: Record<string, { auth: string }>; psFormat: string };
    assert.equal(written.psFormat, 'x');
    assert.deepEqual(Object.keys(written.auths).sort(), ['https://index.docker.io/v1/', 'registry.lan:5000']);
    assert.equal((await stat(store.path)).mode & 0o777, 0o600);
    assert.deepEqual(await store.get('index.docker.io'), { username: 'hub', password: 'pw' });
    assert.equal(await store.remove('registry.lan:5000'), true);
    assert.equal(await store.remove('registry.lan:5000'), false);
    assert.equal(await store.get('registry.lan:5000'), undefined);
    assert.equal(await new CredentialStore(new ChildProcessRunner(), join(dir, 'absent')).get('x.io'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a credential helper (credsStore, credHelpers) stores, finds and erases; auths keeps an empty entry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-creds-helper-'));
  try {
    // A helper speaking Docker's protocol, keeping one entry per server in files next to itself.
    const script = [
      '#!/bin/sh',
      'dir=$(dirname "$0")',
      'read -r input',
      'case "$1" in',
      '  store) server=$(printf %s "$input" | sed \'s/.*"ServerURL":"\\([^"]*\\)".*/\\1/\' | tr "/:" "__"); printf %s "$input" > "$dir/entry-$server" ;;',
      '  get) server=$(printf %s "$input" | tr "/:" "__"); [ -f "$dir/entry-$server" ] || { echo "credentials not found in native keychain"; exit 1; }; cat "$dir/entry-$server" ;;',
      '  erase) server=$(printf %s "$input" | tr "/:" "__"); rm -f "$dir/entry-$server" ;;',
      'esac',
    ].join('\n');
    await writeFile(join(dir, 'docker-credential-fake'), `${script}\n`);
    await chmod(join(dir, 'docker-credential-fake'), 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'fake', credHelpers: { 'other.io': 'absent' } }));
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` };
    const store = new CredentialStore(new ChildProcessRunner(), dir, env);
    assert.equal(await store.get('registry.lan:5000'), undefined);
    await store.set('registry.lan:5000', { username: 'u', password: 'p:w' });
    assert.deepEqual(await store.get('registry.lan:5000'), { username: 'u', password: 'p:w' });
    const written = JSON.parse(await readFile(store.path, 'utf8')) as { auths: Record<string, object>; credsStore: string };
    assert.deepEqual(written.auths, { 'registry.lan:5000': {} });
    assert.equal(written.credsStore, 'fake');
    assert.equal(await store.remove('registry.lan:5000'), true);
    assert.equal(await store.get('registry.lan:5000'), undefined);
    await assert.rejects(store.get('other.io'), (err) => isBerthError(err, 'failed-precondition') && /docker-credential-absent/.test(err.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
