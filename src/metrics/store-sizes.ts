/**
 * The node's store, read at scrape time: images, unpacked layers and content blobs (count and
 * bytes), named volumes, and the metadata database's file with its write-ahead log. Layer and
 * blob sizes are the ones the store recorded (no tree walk); a scrape lists the blob directory.
 */
import { statSync } from 'node:fs';
import { Gauge, Registry } from 'prom-client';

export interface StoreSizes {
  images: number;
  layers: { count: number; bytes: number };
  blobs: { count: number; bytes: number };
  volumes: number;
}

export interface StoreSizeSource {
  sizes(): Promise<StoreSizes>;
  /** The metadata database's path (its `-wal` beside it counts too). */
  readonly databasePath: string;
}

/** A file's size, 0 when it is not there (a WAL after a checkpoint that truncated it). */
function fileBytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

type Read = (sizes: StoreSizes) => number;

export function storeSizesRegistry(source: StoreSizeSource): Registry {
  const registry = new Registry();
  // prom-client collects every metric of a scrape at once: the gauges share one reading.
  let reading: Promise<StoreSizes> | undefined;
  const read = (): Promise<StoreSizes> => (reading ??= source.sizes().finally(() => { reading = undefined; }));
  const gauge = (name: string, help: string, value: Read): void => {
    new Gauge({ name, help, registers: [registry], async collect() { this.set(value(await read())); } });
  };
  gauge('berth_store_images', 'Images in the node\'s store', (s) => s.images);
  gauge('berth_store_layers', 'Unpacked image layers (committed snapshots)', (s) => s.layers.count);
  gauge('berth_store_layer_bytes', 'Bytes of the unpacked image layers, each counted once however many images share it', (s) => s.layers.bytes);
  gauge('berth_store_blobs', 'Blobs in the content store (compressed layers, configs, manifests)', (s) => s.blobs.count);
  gauge('berth_store_blob_bytes', 'Bytes of the blobs in the content store', (s) => s.blobs.bytes);
  gauge('berth_store_volumes', 'Named volumes', (s) => s.volumes);
  new Gauge({
    name: 'berth_store_database_bytes',
    help: 'Bytes of the metadata database file and its write-ahead log',
    registers: [registry],
    collect() { this.set(fileBytes(source.databasePath) + fileBytes(`${source.databasePath}-wal`)); },
  });
  return registry;
}
