/**
 * Typed calls of the routes over a container's files: the archive routes behind `cp` and
 * `export`. Throws what the daemon's answer maps to: not-found for a missing container or path,
 * invalid-argument for a bad path or tar.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { errors } from '../base/errors.js';
import type { ApiTransport } from './api-transport.js';
import type { ContainerPathStat } from '../wire/containers.js';

const enc = encodeURIComponent;
const STAT_HEADER = 'x-docker-container-path-stat';

/** Decodes the base64 JSON stat header. Throws internal (`invalid-api-answer`) when it is missing or malformed. */
export function decodePathStat(header: string | string[] | undefined): ContainerPathStat {
  try {
    if (typeof header !== 'string') throw new Error('header missing');
    const value = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ContainerPathStat;
    if (typeof value.name !== 'string' || typeof value.mode !== 'number') throw new Error('fields missing');
    return value;
  } catch (cause) {
    throw errors.internal('invalid-api-answer', 'the daemon sent no valid path stat', { cause });
  }
}

/** Go's os.ModeDir and os.ModeSymlink bits. */
export const GO_MODE_DIR = 2 ** 31;
export const GO_MODE_SYMLINK = 2 ** 27;

export function isDirectoryMode(mode: number): boolean {
  return Math.floor(mode / GO_MODE_DIR) % 2 === 1;
}

export class ContainerFilesClient {
  constructor(private readonly api: ApiTransport) {}

  /** What `path` is in the container (HEAD archive). */
  async stat(ref: string, path: string): Promise<ContainerPathStat> {
    const response = await this.api.call('HEAD', `/containers/${enc(ref)}/archive`, { query: { path } });
    return decodePathStat(response.headers[STAT_HEADER]);
  }

  /** `path` as a tar (entries named after its last component), with its stat. The caller reads or destroys the stream. */
  async read(ref: string, path: string): Promise<{ stat: ContainerPathStat; tar: IncomingMessage }> {
    const tar = await this.api.open('GET', `/containers/${enc(ref)}/archive`, { query: { path } });
    return { stat: decodePathStat(tar.headers[STAT_HEADER]), tar };
  }

  /** Unpacks `tar` into the directory `path` of the container. */
  async write(ref: string, path: string, tar: Readable): Promise<void> {
    await this.api.call('PUT', `/containers/${enc(ref)}/archive`, { query: { path }, upload: tar });
  }

  /** The container's whole root filesystem as a tar. */
  export(ref: string): Promise<IncomingMessage> {
    return this.api.open('GET', `/containers/${enc(ref)}/export`);
  }
}
