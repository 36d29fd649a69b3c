// Checks of compressed layer blobs and of what a registry holds, with tools other than berth's
// own code: the zstd program, Node's zlib, plain HTTP to the registry.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { digestOf } from '../../src/base/digest.js';
import { ChildProcessRunner } from '../../src/base/process-runner.js';

const runner = new ChildProcessRunner();

/** The OCI and Docker manifest types, as a client asks for them. */
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

export interface PlainManifest {
  mediaType?: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

/** `GET /v2/<repo>/manifests/<ref>` of a registry at `url` (http://127.0.0.1:PORT): the document, its bytes' digest, its Content-Type. */
export async function registryManifest(url: string, repo: string, ref: string): Promise<{ manifest: PlainManifest; digest: string; contentType: string }> {
  const answer = await fetch(`${url}/v2/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT } });
  assert.equal(answer.status, 200, `${repo}:${ref}`);
  const bytes = Buffer.from(await answer.arrayBuffer());
  return { manifest: JSON.parse(bytes.toString('utf8')) as PlainManifest, digest: digestOf(bytes), contentType: answer.headers.get('content-type') ?? '' };
}

export async function registryBlob(url: string, repo: string, digest: string): Promise<Buffer> {
  const answer = await fetch(`${url}/v2/${repo}/blobs/${digest}`);
  assert.equal(answer.status, 200, `${repo}@${digest}`);
  return Buffer.from(await answer.arrayBuffer());
}

/**
 * Asserts that `bytes` are a layer compressed as `format` whose digest is `digest` and whose
 * uncompressed tar hashes to `diffId`; zstd blobs go through `zstd -t` and `zstd -d`, written
 * to `scratch` (a file path, removed afterwards).
 */
export async function assertLayer(bytes: Buffer, format: 'gzip' | 'zstd' | 'none', digest: string, diffId: string, scratch: string): Promise<void> {
  assert.equal(digestOf(bytes), digest, 'the blob hashes to its digest');
  if (format === 'none') {
    assert.equal(digest, diffId, 'an uncompressed layer is its diff ID');
    return;
  }
  if (format === 'gzip') {
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
    assert.equal(digestOf(gunzipSync(bytes)), diffId);
    return;
  }
  assert.deepEqual([...bytes.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], 'zstd magic');
  await writeFile(scratch, bytes);
  try {
    await runner.run('zstd', ['-q', '-t', scratch]);
    await runner.run('zstd', ['-q', '-d', '-f', '-o', `${scratch}.tar`, scratch]);
    assert.equal(digestOf(await readFile(`${scratch}.tar`)), diffId, 'zstd -d gives the layer\'s tar');
  } finally {
    await rm(scratch, { force: true });
    await rm(`${scratch}.tar`, { force: true });
  }
}
