import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { writeFileAtomic } from '../base/atomic-file.js';
import { digestHex, type Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { ContentStore } from '../store/content-store.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, MediaType } from '../oci/media-types.js';
import { familiarName, parseReference } from '../oci/reference.js';
import { exportImage } from './compression/image-export.js';
import type { CompressionOptions } from './compression/layer-compression.js';
import { openScratchDir } from './compression/scratch-dir.js';
import type { ImageRecord } from './image-record.js';

/**
 * `docker-archive`: an OCI layout plus Docker's manifest.json in one tar (what Docker 25+ writes;
 * Docker 20.10 and later load it, and so do OCI tools). `oci-archive`: the OCI layout alone, as
 * a tar. `oci-dir`: the OCI layout as a directory.
 */
export type SaveFormat = 'docker-archive' | 'oci-archive' | 'oci-dir';
export const SAVE_FORMATS: readonly SaveFormat[] = ['docker-archive', 'oci-archive', 'oci-dir'];

/** One image to save, with the names (normalized) to save it under. */
export interface SaveItem {
  image: ImageRecord;
  names: string[];
}

/**
 * How the layers are written. Without `compression` they are written as stored (the exact bytes
 * that were loaded or pulled); with it, layers stored otherwise are recompressed on the way (into
 * a scratch directory under `tmp`, removed afterwards) and the images get new manifests.
 */
export interface SaveOptions {
  content: ContentStore;
  compression?: CompressionOptions;
  /** The state root's scratch space. */
  tmp: string;
  /** Runs `zstd`. */
  runner: ProcessRunner;
}

interface LayoutPlan {
  files: Map<string, Buffer>;
  /** Every blob to write: its size, and the file holding it or (a manifest) its bytes. */
  blobs: Map<Digest, { size: number; source: string | Buffer }>;
}

/** Plans the layout (recompressing into a scratch directory when asked), runs `write`, and removes the directory. */
async function withPlan(items: SaveItem[], options: SaveOptions, withDockerManifest: boolean, write: (plan: LayoutPlan) => Promise<void>): Promise<void> {
  const scratch = options.compression === undefined ? undefined : await openScratchDir(options.tmp);
  try {
    await write(await plan(items, options, scratch?.path ?? options.tmp, withDockerManifest));
  } finally {
    await scratch?.remove();
  }
}

async function plan(items: SaveItem[], options: SaveOptions, dir: string, withDockerManifest: boolean): Promise<LayoutPlan> {
  const blobs = new Map<Digest, { size: number; source: string | Buffer }>();
  const indexEntries: object[] = [];
  const dockerEntries: object[] = [];
  for (const { image, names } of items) {
    const exported = await exportImage(image, options.content, {
      ...(options.compression !== undefined && { compression: options.compression }), dir, runner: options.runner,
    });
    const { manifest, manifestBytes, manifestDigest } = exported;
    blobs.set(manifestDigest, { size: manifestBytes.length, source: manifestBytes });
    for (const blob of [manifest.config, ...manifest.layers]) blobs.set(blob.digest, { size: blob.size, source: exported.blobPath(blob.digest) });
    const descriptor = { mediaType: exported.manifestMediaType, digest: manifestDigest, size: manifestBytes.length };
    if (names.length === 0) indexEntries.push(descriptor);
    for (const name of names) {
      const tag = parseReference(name).tag ?? 'latest';
      indexEntries.push({ ...descriptor, annotations: { [ANNOTATION_IMAGE_NAME]: name, [ANNOTATION_REF_NAME]: tag } });
    }
    dockerEntries.push({
      Config: blobPath(manifest.config.digest),
      RepoTags: names.length > 0 ? names.map(familiarName) : null,
      Layers: manifest.layers.map((l) => blobPath(l.digest)),
    });
  }
  const files = new Map<string, Buffer>();
  files.set('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: indexEntries })));
  if (withDockerManifest) files.set('manifest.json', Buffer.from(JSON.stringify(dockerEntries)));
  return { files, blobs };
}

function blobPath(digest: Digest): string {
  return `blobs/${digest.replace(':', '/')}`;
}

async function addEntry(pack: Pack, name: string, size: number, data: Buffer | AsyncIterable<Buffer>): Promise<void> {
  const header = { name, size, mode: 0o644, mtime: new Date(0), type: 'file' as const };
  if (Buffer.isBuffer(data)) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(header, data, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
    return;
  }
  let settle: (err?: Error | null) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => {
      if (err) reject(err);
      else resolve();
    };
  });
  const sink = pack.entry(header, (err) => { settle(err); });
  for await (const chunk of data) {
    if (!sink.write(chunk)) await once(sink, 'drain');
  }
  sink.end(null);
  await done;
}

function directory(name: string): { name: string; type: 'directory'; mode: number; mtime: Date } {
  return { name, type: 'directory', mode: 0o755, mtime: new Date(0) };
}

/** Writes the images as a tar archive to `out` (a file stream or stdout). */
export function saveArchive(items: SaveItem[], options: SaveOptions, format: 'docker-archive' | 'oci-archive', out: Writable): Promise<void> {
  return withPlan(items, options, format === 'docker-archive', (layout) => writeArchive(layout, out));
}

async function writeArchive({ files, blobs }: LayoutPlan, out: Writable): Promise<void> {
  const pack = tarPack();
  const finished = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    pack.on('error', reject);
    out.on('finish', resolve);
    if (out === process.stdout) pack.on('end', resolve);
  });
  pack.pipe(out);
  pack.entry(directory('blobs/'));
  pack.entry(directory('blobs/sha256/'));
  for (const [digest, { size, source }] of blobs) {
    await addEntry(pack, blobPath(digest), size, typeof source === 'string' ? createReadStream(source) : source);
  }
  for (const [name, bytes] of files) await addEntry(pack, name, bytes.length, bytes);
  pack.finalize();
  await finished;
}

/** Writes the images as an OCI layout into `dir` (created if needed; must be empty). */
export async function saveDirectory(items: SaveItem[], options: SaveOptions, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw errors.alreadyExists('output-not-empty', `${dir} is not empty`);
  await withPlan(items, options, false, async ({ files, blobs }) => {
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    for (const [digest, { source }] of blobs) {
      const target = join(dir, 'blobs', 'sha256', digestHex(digest));
      if (typeof source !== 'string') {
        await writeFile(target, source);
        continue;
      }
      const out = createWriteStream(target);
      createReadStream(source).pipe(out);
      await once(out, 'finish');
    }
    for (const [name, bytes] of files) await writeFileAtomic(join(dir, name), bytes);
  });
}
