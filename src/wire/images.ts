/**
 * Local images on the wire: the list, inspect, history, removal and prune answers, Docker's JSON
 * progress messages (load, import, pull, push, build), the commit answer, and `POST /auth` (its
 * body schema). Inspect is Docker's image JSON as `images/image-views.ts` builds it.
 */
import { z } from 'zod';

/** One entry of `GET /images/json` (and of `GET /system/df`, with Containers counted). */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  /** Familiar names (`busybox:latest`). */
  RepoTags: string[];
  RepoDigests: string[];
  /** Unix seconds. */
  Created: number;
  Size: number;
  /** -1: not computed (the list); 0 in `GET /system/df`. */
  SharedSize: number;
  VirtualSize: number;
  Labels: Record<string, string> | null;
  /** -1: not counted (the list). */
  Containers: number;
}

/** An image's container config as inspect shows it: the image config's `config`, as the image has it (absent fields stay absent). */
export interface ImageConfigView {
  User?: string | undefined;
  ExposedPorts?: Record<string, object> | null | undefined;
  Env?: string[] | null | undefined;
  Entrypoint?: string[] | null | undefined;
  Cmd?: string[] | null | undefined;
  Volumes?: Record<string, object> | null | undefined;
  WorkingDir?: string | undefined;
  Labels?: Record<string, string> | null | undefined;
  StopSignal?: string | undefined;
  /** Durations in nanoseconds. */
  Healthcheck?: {
    Test?: string[] | null | undefined;
    Interval?: number | undefined;
    Timeout?: number | undefined;
    StartPeriod?: number | undefined;
    StartInterval?: number | undefined;
    Retries?: number | undefined;
  } | undefined;
  ArgsEscaped?: boolean | undefined;
  Shell?: string[] | null | undefined;
  OnBuild?: string[] | null | undefined;
}

/** `GET /images/{name}/json` (and `berth image inspect --root`, which adds BerthScan). */
export interface ImageInspect {
  Id: string;
  /** Familiar names (`busybox:latest`). */
  RepoTags: string[];
  RepoDigests: string[];
  /** Always '' (berth keeps no parent chain). */
  Parent: string;
  /** The last history entry's comment. */
  Comment: string;
  /** RFC 3339. */
  Created: string;
  /** The id of the container the image was made from (Docker's legacy config key `container`), or ''. */
  Container: string;
  /** That container's config (legacy `container_config`), every field of Docker's Config, zero-valued when absent. */
  ContainerConfig: Record<string, unknown>;
  DockerVersion: string;
  Author: string;
  Config: ImageConfigView;
  Architecture: string;
  /** Only when the image has one. */
  Variant?: string;
  Os: string;
  /** Unpacked size of the layers, bytes. */
  Size: number;
  /** The same as Size (dockerd's up to API 1.43). */
  VirtualSize: number;
  GraphDriver: { Name: string; Data: { LowerDir: string; UpperDir: string } };
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
  /** The image's manifest. */
  Descriptor: { mediaType: string; digest: string };
}

/** One row of `GET /images/{name}/history`, newest layer first. */
export interface ImageHistoryRow {
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Size: number;
  Comment: string;
  Tags: string[] | null;
}

/** One entry of `DELETE /images/{name}` and of the prune answer. */
export type ImageDeleteItem = { Untagged: string } | { Deleted: string };

/** `POST /images/prune`. */
export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

/** Docker's JSON progress messages: one object per line. */
export interface JsonMessage {
  stream?: string;
  status?: string;
  /** A layer's short id (pull, push), or the tag of the opening line. */
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** The result of a push (its tag, digest and manifest size), or of a build (the image ID). */
  aux?: { Tag?: string; Digest?: string; Size?: number; ID?: string };
  error?: string;
  errorDetail?: { message: string };
}

/** `POST /commit` (201). */
export interface CommitResponse {
  Id: string;
}

/**
 * The body of `POST /auth` (berthd checks the credentials against the registry and keeps nothing;
 * `username` is required there, an empty one is a 400). Other fields are ignored.
 */
export const authConfigSchema = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  serveraddress: z.string().optional(),
}).loose();
/** The credentials as a client sends them. */
export type AuthConfig = z.input<typeof authConfigSchema>;

/** `POST /auth`. */
export interface AuthResponse {
  Status: string;
  IdentityToken?: string;
}
