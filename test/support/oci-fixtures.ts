import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { pack as tarPack } from 'tar-stream';

/** One entry of a crafted layer tar. */
export interface FixtureEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Builds an uncompressed tar in memory from the entries. */
export async function makeTar(entries: FixtureEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', () => { resolve(); }));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = { name: e.name, type, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), mtime: new Date(1_700_000_000_000), ...(e.linkname !== undefined && { linkname: e.linkname }) };
    if (type === 'file') pack.entry(header, Buffer.from(e.content ?? ''));
    else pack.entry(header);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export interface FixtureLayer {
  tar: Buffer;
  compression?: 'gzip' | 'zstd' | 'none';
  /** Override the diff id written in the config (to craft a mismatch). */
  diffId?: string;
}

/** gzip with zlib; zstd with the zstd command (Debian package zstd). */
function compress(tar: Buffer, compression: 'gzip' | 'zstd' | 'none'): Buffer {
  if (compression === 'gzip') return gzipSync(tar);
  if (compression === 'zstd') {
    const result = spawnSync('zstd', ['-q', '-c'], { input: tar, maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`zstd failed: ${result.stderr.toString()}`);
    return result.stdout;
  }
  return tar;
}

export interface FixtureImage {
  name?: string;
  /** Only `org.opencontainers.image.ref.name` (e.g. a bare tag), when there is no `name`. */
  refName?: string;
  layers: FixtureLayer[];
  cmd?: string[];
}

/** Writes an OCI image layout directory holding the images; returns the manifest digests. */
export async function writeOciLayout(dir: string, images: FixtureImage[]): Promise<string[]> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (data: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = sha256(data);
    await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const manifests = [];
  for (const image of images) {
    const layers = [];
    const diffIds = [];
    for (const layer of image.layers) {
      const compression = layer.compression ?? 'none';
      const blob = await put(compress(layer.tar, compression));
      layers.push({ mediaType: `application/vnd.oci.image.layer.v1.tar${compression === 'none' ? '' : `+${compression}`}`, ...blob });
      diffIds.push(layer.diffId ?? sha256(layer.tar));
    }
    const config = await put(Buffer.from(JSON.stringify({
      architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z',
      config: { Cmd: image.cmd ?? ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds },
    })));
    const manifest = await put(Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers,
    })));
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest,
      ...(image.name !== undefined && { annotations: { 'io.containerd.image.name': image.name, 'org.opencontainers.image.ref.name': 'latest' } }),
      ...(image.name === undefined && image.refName !== undefined && { annotations: { 'org.opencontainers.image.ref.name': image.refName } }),
    });
  }
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return manifests.map((m) => m.digest);
}
