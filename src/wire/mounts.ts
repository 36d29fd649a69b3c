/**
 * One `HostConfig.Mounts` entry of `POST /containers/create` (`--mount`): the schema berthd
 * validates with, and the type a client sends. What the fields must hold for each `Type` (bind,
 * volume, tmpfs) is checked by the daemon (`api/container-mounts-body.ts`).
 */
import { z } from 'zod';
import { integerSchema } from './integers.js';

const stringMap = z.record(z.string(), z.string()).nullish();

export const mountBodySchema = z.object({
  Type: z.string(),
  Source: z.string().nullish(),
  Target: z.string().nullish(),
  ReadOnly: z.boolean().nullish(),
  Consistency: z.string().nullish(),
  BindOptions: z.object({
    Propagation: z.string().nullish(),
    NonRecursive: z.boolean().nullish(),
    CreateMountpoint: z.boolean().nullish(),
  }).nullish(),
  VolumeOptions: z.object({
    NoCopy: z.boolean().nullish(),
    Labels: stringMap,
    DriverConfig: z.object({ Name: z.string().nullish(), Options: stringMap }).nullish(),
    Subpath: z.string().nullish(),
  }).nullish(),
  TmpfsOptions: z.object({ SizeBytes: integerSchema.nullish(), Mode: integerSchema.nullish() }).nullish(),
});
/** A mount entry as validated (integers as numbers). */
export type MountBody = z.infer<typeof mountBodySchema>;
/** A mount entry as a client sends it. */
export type MountConfig = z.input<typeof mountBodySchema>;

/**
 * One entry of a container's `Mounts` (inspect and list), as dockerd fills it: a volume has
 * `Name` and `Driver`; `Mode` is `ro` or empty.
 */
export interface MountPoint {
  Type: 'volume' | 'bind' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}
