/**
 * The system routes on the wire: `GET /system/df`. `GET /info` and `GET /version` are dockerd's
 * large objects; berthd fills every key (`api/info-view.ts`) and clients only print them, so
 * they travel as `Record<string, unknown>`.
 */
import type { ContainerSummary } from './container-inspect.js';
import type { ImageSummary } from './images.js';
import type { Volume } from './volumes.js';

/** A `RUN --mount=type=cache` directory as Docker's BuildCache record (type `exec.cachemount`). */
export interface BuildCacheRecord {
  ID: string;
  Parent: string;
  Parents: string[] | null;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

/** `GET /system/df`: the unpacked layers, images, containers with their sizes, volumes with UsageData, the build cache. */
export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: Volume[] | null;
  BuildCache: BuildCacheRecord[] | null;
}

/** `GET /info` (dockerd's SystemInfo: counts, storage, runtimes, kernel, resources, registries). */
export type SystemInfo = Record<string, unknown>;

/** `GET /version`. */
export type SystemVersion = Record<string, unknown>;
