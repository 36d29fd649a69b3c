/**
 * Local images on the wire: the list, history, removal and prune answers, Docker's JSON progress
 * messages (load, import, pull, push, build), and `POST /auth`. Image inspect is Docker's image
 * JSON as `images/image-views.ts` builds it, passed through untyped.
 */

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

/** The body of `POST /auth` (berthd checks the credentials against the registry and keeps nothing). */
export interface AuthConfig {
  username: string;
  password: string;
  serveraddress: string;
}

/** `POST /auth`. */
export interface AuthResponse {
  Status: string;
  IdentityToken?: string;
}
