import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openImageNode } from '../../../src/daemon/image-node.js';

/** What a state root holds, for assertions that a failed operation changed nothing. */
export interface StoreState {
  images: string[];
  blobs: string[];
  snapshots: string[];
  snapshotDirs: string[];
  ingest: string[];
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).sort();
}

export async function storeState(root: string): Promise<StoreState> {
  const service = await openImageNode(root);
  try {
    return {
      images: service.list().map((i) => `${i.id} ${i.names.join(',')}`).sort(),
      blobs: (await service.content.list()).map((b) => b.digest).sort(),
      snapshots: service.snapshotter.list().map((s) => s.key).sort(),
      snapshotDirs: await list(join(root, 'snapshots')),
      ingest: await list(join(root, 'content', 'ingest')),
    };
  } finally {
    await service.close();
  }
}

/** Checks that every image's blobs and layer snapshots are present (the store is consistent). */
export async function assertConsistent(root: string): Promise<string[]> {
  const problems: string[] = [];
  const service = await openImageNode(root);
  try {
    for (const image of service.list()) {
      const config = await service.config(image);
      for (const dir of service.layerDirs(config)) {
        if ((await readdir(dir).catch(() => undefined)) === undefined) problems.push(`${image.id}: layer dir ${dir} missing`);
      }
      if (!(await service.content.has(image.manifestDigest))) problems.push(`${image.id}: manifest blob missing`);
    }
  } catch (err) {
    problems.push(String(err));
  } finally {
    await service.close();
  }
  return problems;
}
