/**
 * The mounts a container record keeps (part of its config, fixed at create): volumes by name,
 * binds by host path, tmpfs mounts by target. Volume names here are what makes a volume "in use".
 */
import { z } from 'zod';
import { PROPAGATIONS } from '../volumes/mount-request.js';

export const containerMountSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('volume'),
    name: z.string(),
    target: z.string(),
    readOnly: z.boolean(),
    noCopy: z.boolean(),
    /** Made for this container (`-v /path`, an image VOLUME): removed with it by `rm -v` / `--rm`. */
    anonymous: z.boolean(),
  }),
  z.object({
    type: z.literal('bind'),
    source: z.string(),
    target: z.string(),
    readOnly: z.boolean(),
    propagation: z.enum(PROPAGATIONS),
    /** `-v` syntax: a missing host directory is created at start. */
    createHostPath: z.boolean(),
  }),
  /** Mounted through the container's tmpfs options; kept here for inspect. */
  z.object({ type: z.literal('tmpfs'), target: z.string(), readOnly: z.boolean() }),
]);
export type ContainerMount = z.infer<typeof containerMountSchema>;

/** Names of the volumes a container uses. */
export function volumeNamesOf(mounts: readonly ContainerMount[] | undefined): string[] {
  return (mounts ?? []).flatMap((m) => (m.type === 'volume' ? [m.name] : []));
}
