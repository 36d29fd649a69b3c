// Public surface of snapshots/: layer tar ⇄ directory, and the overlayfs snapshotter.
export { openLayerStream, sniffCompression, type LayerCompression } from './decompress.js';
export { unpackLayer, type UnpackLayerOptions, type UnpackLayerResult } from './layer-unpacker.js';
export { diffDirectory, type DiffDirectoryOptions } from './layer-differ.js';
export { OverlaySnapshotter, type OverlaySnapshotterOptions } from './overlay-snapshotter.js';
export type { SnapshotInfo, SnapshotKind, Snapshotter } from './snapshot-types.js';
