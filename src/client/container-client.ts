/**
 * Typed calls of the container routes (`/containers/…`). Each method throws the BerthError the
 * daemon's answer maps to (api-errors.ts): not-found for an unknown container or image, conflict
 * for a state that does not allow the operation, invalid-argument for bad parameters.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiTransport } from './api-transport.js';
import type { ContainerInspect, ContainerSummary } from '../wire/container-inspect.js';
import type { ContainerStats } from '../wire/container-stats.js';
import type {
  ContainerChange, ContainerCreateConfig, ContainerCreateResponse, ContainerPruneResponse, ContainerTop, ContainerUpdate, WaitCondition, WaitResponse,
} from '../wire/containers.js';
import { HijackedStream } from './hijacked-stream.js';

const enc = encodeURIComponent;

export interface StopOptions {
  /** Seconds to wait before SIGKILL; the container's own stop timeout when absent. */
  timeoutS?: number;
  /** Stop signal; the container's own when absent. */
  signal?: string;
}

export interface ListOptions {
  all?: boolean;
  /** Docker's filters: id, name, status, exited, ancestor, label. */
  filters?: Record<string, string[]>;
  limit?: number;
}

export interface AttachOptions {
  stdin: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** The container's TTY setting (the daemon's Content-Type confirms it). */
  tty: boolean;
  detachKeys?: string;
}

/** Query of `GET /containers/{id}/logs` (times as Unix seconds with a fraction, or RFC 3339). */
export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  since?: string;
  until?: string;
  timestamps?: boolean;
  tail?: string;
}

/** `changed` is false when the daemon answered 304 (already in the requested state). */
export interface StateChange {
  changed: boolean;
}

/** The container routes. Methods may run concurrently; each rejects as described above. */
export class ContainerClient {
  constructor(private readonly api: ApiTransport) {}

  /** Creates a container; `name` optional. Throws not-found (image), conflict (name taken), invalid-argument. */
  create(config: ContainerCreateConfig, name?: string): Promise<ContainerCreateResponse> {
    return this.api.json<ContainerCreateResponse>('POST', '/containers/create', { body: config, query: { name } });
  }

  list(options: ListOptions = {}): Promise<ContainerSummary[]> {
    const filters = options.filters !== undefined && Object.keys(options.filters).length > 0 ? JSON.stringify(options.filters) : undefined;
    return this.api.json<ContainerSummary[]>('GET', '/containers/json', { query: { all: options.all === true ? true : undefined, filters, limit: options.limit } });
  }

  inspect(ref: string): Promise<ContainerInspect> {
    return this.api.json<ContainerInspect>('GET', `/containers/${enc(ref)}/json`);
  }

  async start(ref: string): Promise<StateChange> {
    return { changed: (await this.api.call('POST', `/containers/${enc(ref)}/start`)).status !== 304 };
  }

  async stop(ref: string, options: StopOptions = {}): Promise<StateChange> {
    const { status } = await this.api.call('POST', `/containers/${enc(ref)}/stop`, { query: { t: options.timeoutS, signal: options.signal } });
    return { changed: status !== 304 };
  }

  async restart(ref: string, options: StopOptions = {}): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/restart`, { query: { t: options.timeoutS, signal: options.signal } });
  }

  /** Sends `signal` (default KILL). Throws conflict when the container is not running. */
  async kill(ref: string, signal?: string): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/kill`, { query: { signal } });
  }

  async pause(ref: string): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/pause`);
  }

  async unpause(ref: string): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/unpause`);
  }

  /** Removes a container; a running one needs `force` (conflict otherwise). */
  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.api.call('DELETE', `/containers/${enc(ref)}`, { query: { force: options.force === true ? true : undefined, v: options.volumes === true ? true : undefined } });
  }

  /** Removes every container that is not running. */
  prune(): Promise<ContainerPruneResponse> {
    return this.api.json('POST', '/containers/prune');
  }

  /**
   * Waits as Docker's wait does. The promise settles when the daemon answers (the daemon registers
   * the wait before it sends headers; `registered` resolves then, so a start after it cannot be
   * missed). Abort `signal` to stop waiting (rejects with canceled).
   */
  wait(ref: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): { registered: Promise<void>; result: Promise<WaitResponse> } {
    const response = this.api.open('POST', `/containers/${enc(ref)}/wait`, { query: { condition }, ...(signal === undefined ? {} : { signal }) });
    const registered = response.then(() => undefined);
    const result = response.then(async (res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as WaitResponse;
    });
    // The same failure rejects `result`, which the caller awaits: a caller that never awaits
    // `registered` must not see it as an unhandled rejection.
    registered.catch(() => undefined);
    return { registered, result };
  }

  /**
   * The log stream, open: the caller copies it (stdio-output.ts) or destroys it. With `follow` it
   * ends when the container stops. Content-Type says raw (TTY) or multiplexed.
   */
  logs(ref: string, options: LogsOptions, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.api.open('GET', `/containers/${enc(ref)}/logs`, {
      query: { stdout: options.stdout ?? true, stderr: options.stderr ?? true, follow: options.follow, since: options.since, until: options.until, timestamps: options.timestamps, tail: options.tail },
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /**
   * Hijacks `POST /containers/{id}/attach`: output (and stdin when asked) until the container's
   * output ends. Attaching before start sees all output. Throws not-found, conflict.
   */
  async attach(ref: string, options: AttachOptions): Promise<HijackedStream> {
    const connection = await this.api.hijack('POST', `/containers/${enc(ref)}/attach`, {
      query: { stream: true, stdin: options.stdin, stdout: options.stdout ?? true, stderr: options.stderr ?? true, detachKeys: options.detachKeys },
    });
    return new HijackedStream(connection, options.tty);
  }

  /**
   * Resource samples in Docker's stats JSON: with `stream`, the open response (one JSON document
   * a line, about one a second) for the caller to read or destroy; else one document.
   */
  statsStream(ref: string, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.api.open('GET', `/containers/${enc(ref)}/stats`, { query: { stream: true }, ...(signal === undefined ? {} : { signal }) });
  }

  stats(ref: string): Promise<ContainerStats> {
    return this.api.json<ContainerStats>('GET', `/containers/${enc(ref)}/stats`, { query: { stream: false } });
  }

  /** `ps` of a running container's processes. Throws conflict when it is not running. */
  top(ref: string, psArgs?: string): Promise<ContainerTop> {
    return this.api.json('GET', `/containers/${enc(ref)}/top`, { query: { ps_args: psArgs } });
  }

  /** Changes of the container's writable layer; Kind 0 modified, 1 added, 2 deleted. */
  async changes(ref: string): Promise<ContainerChange[]> {
    return (await this.api.json<ContainerChange[] | null>('GET', `/containers/${enc(ref)}/changes`)) ?? [];
  }

  /** Throws conflict when the name is taken, invalid-argument when Docker would reject it. */
  async rename(ref: string, name: string): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/rename`, { query: { name } });
  }

  /** New resource limits and/or restart policy (Docker's update body); limits apply at once to a running container. */
  async update(ref: string, resources: ContainerUpdate): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/update`, { body: resources });
  }

  /** Sets the container's TTY size (rows × columns). Throws conflict when it is not running. */
  async resize(ref: string, rows: number, columns: number): Promise<void> {
    await this.api.call('POST', `/containers/${enc(ref)}/resize`, { query: { h: rows, w: columns } });
  }
}
