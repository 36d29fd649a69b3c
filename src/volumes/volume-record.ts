/** A volume as the node records it (the `volumes` table). */
import { z } from 'zod';

export const LOCAL_DRIVER = 'local';

/** Docker's label on volumes made for one container (`-v /path`, image VOLUMEs). */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface VolumeRecord {
  name: string;
  driver: string;
  /** RFC 3339. */
  createdAt: string;
  labels: Record<string, string>;
  /** The driver options as given (strings), checked by `parseLocalOptions` at create. */
  options: Record<string, string>;
  /** Made for one container; removed with it by `rm -v` and `--rm`. */
  anonymous: boolean;
  /** Whether the first mount (that could seed it from an image) has happened. */
  seeded: boolean;
}

export const stringRecordSchema = z.record(z.string(), z.string());
