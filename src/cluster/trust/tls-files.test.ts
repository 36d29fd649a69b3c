import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeTlsFiles } from './tls-files.js';

describe('TLS files', () => {
  let root: string;
  before(async () => { root = await mkdtemp(join(tmpdir(), 'berth-tls-files-')); });
  after(async () => { await rm(root, { recursive: true, force: true }); });

  it('writes the key private to its owner and the certificates readable, and rewrites them', async () => {
    const dir = join(root, 'tls');
    const files = await writeTlsFiles(dir, { keyPem: 'KEY', certPem: 'CERT', caCertPem: 'CA' });
    assert.deepEqual(files, { certFile: join(dir, 'node.crt'), keyFile: join(dir, 'node.key'), caFile: join(dir, 'ca.crt') });
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(files.keyFile)).mode & 0o777, 0o600);
    assert.equal((await stat(files.certFile)).mode & 0o777, 0o644);
    assert.equal(await readFile(files.caFile, 'utf8'), 'CA');

    await writeTlsFiles(dir, { keyPem: 'KEY2', certPem: 'CERT2', caCertPem: 'CA' });
    assert.equal(await readFile(files.keyFile, 'utf8'), 'KEY2');
    assert.equal((await stat(files.keyFile)).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(dir)).sort(), ['ca.crt', 'node.crt', 'node.key']);
  });
});
