import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { writeFileAtomic } from '../base/atomic-file.js';
import { digestHex, type Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import type { ContentStore } from '../store/content-store.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, MediaType } from '../oci/media-types.js';
import { parseJson } from '../oci/parse-json.js';
import { familiarName, parseReference } from '../oci/reference.js';
import { manifestSchema } from '../oci/schemas.js';
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

interface LayoutPlan {
  files: Map<string, Buffer>;
  blobs: Map<Digest, number>;
}

async function plan(items: SaveItem[], content: ContentStore, withDockerManifest: boolean): Promise<LayoutPlan> {
  const blobs = new Map<Digest, number>();
  const indexEntries: object[] = [];
  const dockerEntries: object[] = [];
  for (const { image, names } of items) {
    const manifestBytes = await content.readBytes(image.manifestDigest);
    const manifest = parseJson(manifestSchema, manifestBytes, `manifest ${image.manifestDigest}`);
    blobs.set(image.manifestDigest, manifestBytes.length);
    blobs.set(manifest.config.digest, manifest.config.size);
    for (const layer of manifest.layers) blobs.set(layer.digest, layer.size);
    const descriptor = { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: manifestBytes.length };
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
export async function saveArchive(items: SaveItem[], content: ContentStore, format: 'docker-archive' | 'oci-archive', out: Writable): Promise<void> {
  const { files, blobs } = await plan(items, content, format === 'docker-archive');
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
  for (const [digest, size] of blobs) {
    await addEntry(pack, blobPath(digest), size, createReadStream(content.path(digest)));
  }
  for (const [name, bytes] of files) await addEntry(pack, name, bytes.length, bytes);
  pack.finalize();
  await finished;
}

/** Writes the images as an OCI layout into `dir` (created if needed; must be empty). */
export async function saveDirectory(items: SaveItem[], content: ContentStore, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw errors.alreadyExists('output-not-empty', `${dir} is not empty`);
  const { files, blobs } = await plan(items, content, false);
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const digest of blobs.keys()) {
    const out = createWriteStream(join(dir, 'blobs', 'sha256', digestHex(digest)));
    const input = createReadStream(content.path(digest));
    input.pipe(out);
    await once(out, 'finish');
  }
  for (const [name, bytes] of files) await writeFileAtomic(join(dir, name), bytes);
}
