/**
 * Typed calls of the local image routes (`/images/…`). Errors as ContainerClient: not-found for an
 * unknown image, conflict for a removal that needs force, invalid-argument for a bad reference.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { CompressionQueryParams } from '../wire/compression-options.js';
import type {
  AuthConfig, AuthResponse, ImageDeleteItem, ImageHistoryRow, ImageInspect, ImagePruneResponse, ImageSummary, JsonMessage,
} from '../wire/images.js';
import type { ApiTransport } from './api-transport.js';

/** One message per non-empty line; a line that is not JSON throws (SyntaxError). */
export function parseJsonMessages(body: Buffer): JsonMessage[] {
  return body.toString('utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as JsonMessage);
}

/** Docker's progress messages as they arrive, one per line; a line that is not JSON throws (SyntaxError). */
export async function* readJsonMessages(stream: AsyncIterable<Buffer | string>): AsyncGenerator<JsonMessage> {
  let pending = '';
  for await (const chunk of stream) {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') yield JSON.parse(line) as JsonMessage;
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim() !== '') yield JSON.parse(pending) as JsonMessage;
}

/** Options of pull and push: `registryAuth` is the X-Registry-Auth header value (base64url JSON). */
export interface RegistryCallOptions {
  registryAuth?: string;
}

/** berth's layer compression of push, save and build: gzip, zstd or none, and a level. */
export interface CompressionQuery {
  compression?: string;
  compressionLevel?: number;
}

/** The query parameters of a CompressionQuery (none when it is empty). */
export function compressionParams(options: CompressionQuery): CompressionQueryParams {
  return { compression: options.compression, 'compression-level': options.compressionLevel };
}

/** Image names keep their `/`; only characters that would break the path are escaped. */
function imagePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** The local image routes. Methods may run concurrently. */
export class ImageClient {
  constructor(private readonly api: ApiTransport) {}

  /** With `all`, build steps' intermediate images too. */
  list(filters?: Record<string, string[]>, all?: boolean): Promise<ImageSummary[]> {
    return this.api.json<ImageSummary[]>('GET', '/images/json', { query: { filters: filters === undefined ? undefined : JSON.stringify(filters), all: all === true ? true : undefined } });
  }

  /** Docker's image inspect JSON (the same view `berth image inspect --root` prints). */
  inspect(name: string): Promise<ImageInspect> {
    return this.api.json<ImageInspect>('GET', `/images/${imagePath(name)}/json`);
  }

  history(name: string): Promise<ImageHistoryRow[]> {
    return this.api.json<ImageHistoryRow[]>('GET', `/images/${imagePath(name)}/history`);
  }

  /** Names `source` as `repo:tag`. Throws invalid-argument for a bad name, not-found for `source`. */
  async tag(source: string, repo: string, tag: string): Promise<void> {
    await this.api.call('POST', `/images/${imagePath(source)}/tag`, { query: { repo, tag } });
  }

  remove(name: string, force: boolean): Promise<ImageDeleteItem[]> {
    return this.api.json<ImageDeleteItem[]>('DELETE', `/images/${imagePath(name)}`, { query: { force: force ? true : undefined } });
  }

  /** Loads a docker-archive / OCI archive streamed from `archive`; `repository` names bare-tag OCI entries. */
  async load(archive: Readable, repository?: string): Promise<JsonMessage[]> {
    return parseJsonMessages((await this.api.call('POST', '/images/load', { upload: archive, query: { name: repository } })).body);
  }

  /** A docker-archive of `names`, streaming (the caller pipes or destroys it); layers compressed as asked. */
  save(names: string[], options: CompressionQuery = {}): Promise<IncomingMessage> {
    return this.api.open('GET', '/images/get', { query: { names, ...compressionParams(options) } });
  }

  /** Creates an image from a root filesystem tarball streamed from `tarball`. */
  async import(tarball: Readable, options: { repo?: string; tag?: string; changes?: string[]; message?: string }): Promise<JsonMessage[]> {
    const { body } = await this.api.call('POST', '/images/create', {
      upload: tarball,
      query: { fromSrc: '-', repo: options.repo, tag: options.tag, changes: options.changes, message: options.message },
    });
    return parseJsonMessages(body);
  }

  /**
   * Pulls `fromImage[:tag]`; the answer streams Docker's progress messages (see readJsonMessages).
   * Aborting `signal` ends the pull: the call rejects with canceled, or the open stream fails.
   */
  pull(fromImage: string, tag: string | undefined, options: RegistryCallOptions & { platform?: string; signal?: AbortSignal } = {}): Promise<IncomingMessage> {
    return this.api.open('POST', '/images/create', {
      query: { fromImage, tag, platform: options.platform },
      ...(options.registryAuth !== undefined && { headers: { 'X-Registry-Auth': options.registryAuth } }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** Pushes `name` (a repository) with `tag`, layers compressed as asked; streams progress messages as pull does. */
  push(name: string, tag: string | undefined, options: RegistryCallOptions & CompressionQuery = {}): Promise<IncomingMessage> {
    return this.api.open('POST', `/images/${imagePath(name)}/push`, {
      query: { tag, ...compressionParams(options) },
      headers: { 'X-Registry-Auth': options.registryAuth ?? Buffer.from('{}').toString('base64url') },
    });
  }

  /** Asks berthd to check credentials against a registry (`POST /auth`); wrong ones reject with unauthenticated. */
  auth(credentials: AuthConfig): Promise<AuthResponse> {
    return this.api.json<AuthResponse>('POST', '/auth', { body: credentials });
  }

  prune(all: boolean): Promise<ImagePruneResponse> {
    return this.api.json<ImagePruneResponse>('POST', '/images/prune', { query: { filters: all ? JSON.stringify({ dangling: ['false'] }) : undefined } });
  }
}
