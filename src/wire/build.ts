/**
 * Builds on the wire: the query parameters of `POST /build` (the body is the context tar, the
 * answer Docker's JSON messages, `JsonMessage` in images.ts), berth's secrets header, and
 * `POST /build/prune`. `api/build-query.ts` reads the parameters by these names,
 * `client/build-client.ts` sends them.
 */
import type { CompressionQueryParams } from './compression-options.js';

/**
 * The query of `POST /build` as a client sends it, by the Docker API's names (booleans as 1/0,
 * lists repeat the key; the transport leaves undefined ones out). berthd reads a repeated
 * parameter by its first value, as Go's FormValue, except the lists `t` and `extrahosts`.
 */
export type BuildQuery = {
  /** The result's names (`repo[:tag]`). */
  t?: readonly string[] | undefined;
  /** The Dockerfile's path in the context (`Dockerfile` when absent). */
  dockerfile?: string | undefined;
  /** JSON object of strings; `null` stands for a --build-arg the environment does not set (left out). */
  buildargs?: string | undefined;
  /** JSON object of strings. */
  labels?: string | undefined;
  target?: string | undefined;
  nocache?: boolean | undefined;
  /** Quiet: the answer holds only the image ID. */
  q?: boolean | undefined;
  /** default / bridge, none, host, or a user network's name or id. */
  networkmode?: string | undefined;
  /** `name:ip` entries (ip may be `host-gateway`). */
  extrahosts?: readonly string[] | undefined;
  /** JSON list of image names (`--cache-from`). */
  cachefrom?: string | undefined;
  /** Remove intermediate containers (berth always does). */
  rm?: boolean | undefined;
  /** A remote context: refused (400), the context is the request body. */
  remote?: string | undefined;
} & CompressionQueryParams;

/** A parameter name of `POST /build`. */
export type BuildQueryParam = keyof BuildQuery;

/**
 * berth's build secrets header (Docker's classic API has none): base64 of the JSON object
 * `{"<id>": "<base64 of the value>", …}`. Header names are case-insensitive (node lower-cases
 * them on receipt).
 */
export const BUILD_SECRETS_HEADER = 'X-Berth-Build-Secrets';

/** The value of the secrets header for `secrets` by id. */
export function encodeBuildSecrets(secrets: Readonly<Record<string, Buffer>>): string {
  return Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(secrets).map(([id, value]) => [id, value.toString('base64')])))).toString('base64');
}

/** `POST /build/prune`. */
export interface BuildCachePruneResponse {
  /** berth answers one `"<n> entries"` item, or null when nothing was removed. */
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}
