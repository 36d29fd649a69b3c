/**
 * Volumes on the wire: the body of `POST /volumes/create` (the schema berthd validates with) and
 * the Volume object of `GET /volumes`, `GET /volumes/{name}` and `GET /system/df`.
 */
import { z } from 'zod';

/** The body of `POST /volumes/create`; a volume without a name gets a random one. */
export const volumeCreateBodySchema = z.object({
  Name: z.string().nullish(),
  Driver: z.string().nullish(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
});
/** A create body as a client sends it. */
export type VolumeCreateConfig = z.input<typeof volumeCreateBodySchema>;

/** A volume as dockerd shows it; empty label and option maps are null. */
export interface Volume {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
  /** Only in `GET /system/df`: bytes used and how many containers use it. */
  UsageData?: { Size: number; RefCount: number };
}

/** `GET /volumes`. */
export interface VolumeList {
  Volumes: Volume[] | null;
  Warnings: string[] | null;
}

/** `POST /volumes/prune`. */
export interface VolumePruneResponse {
  VolumesDeleted: string[] | null;
  SpaceReclaimed: number;
}
