/** Builds (`POST /build`, a streamed JSON answer), the build cache, and `POST /commit`. */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { BUILD_SECRETS_HEADER, encodeBuildSecrets, type BuildCachePruneResponse, type BuildQuery } from '../wire/build.js';
import type { CommitResponse } from '../wire/images.js';
import type { ApiTransport } from './api-transport.js';
import { compressionParams, type CompressionQuery } from './image-client.js';

export interface BuildOptions extends CompressionQuery {
  tags: string[];
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  labels?: Record<string, string>;
  quiet?: boolean;
  network?: string;
  /** Secrets by id (sent in the X-Berth-Build-Secrets header, never in the URL). */
  secrets?: Record<string, Buffer>;
}

export interface CommitOptions {
  repo?: string;
  tag?: string;
  changes?: string[];
  comment?: string;
  author?: string;
  pause?: boolean;
}

export class BuildClient {
  constructor(private readonly api: ApiTransport) {}

  /** Sends the context tar and resolves with the progress stream (JSON messages, one a line). */
  build(context: Readable, options: BuildOptions): Promise<IncomingMessage> {
    const query: BuildQuery = {
      t: options.tags,
      dockerfile: options.dockerfile,
      buildargs: options.buildArgs === undefined ? undefined : JSON.stringify(options.buildArgs),
      labels: options.labels === undefined ? undefined : JSON.stringify(options.labels),
      target: options.target,
      nocache: options.noCache === true ? true : undefined,
      q: options.quiet === true ? true : undefined,
      networkmode: options.network,
      rm: true,
      ...compressionParams(options),
    };
    return this.api.open('POST', '/build', {
      upload: context,
      query,
      ...(options.secrets !== undefined && Object.keys(options.secrets).length > 0 && {
        headers: { [BUILD_SECRETS_HEADER]: encodeBuildSecrets(options.secrets) },
      }),
    });
  }

  prune(): Promise<BuildCachePruneResponse> {
    return this.api.json<BuildCachePruneResponse>('POST', '/build/prune');
  }

  /** `POST /commit`: resolves with the new image's id. */
  async commit(container: string, options: CommitOptions): Promise<string> {
    const answer = await this.api.json<CommitResponse>('POST', '/commit', {
      query: {
        container, repo: options.repo, tag: options.tag, changes: options.changes, comment: options.comment, author: options.author,
        pause: options.pause === false ? false : undefined,
      },
    });
    return answer.Id;
  }
}
