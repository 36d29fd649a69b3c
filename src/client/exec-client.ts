/**
 * Typed calls of the exec routes: create an exec in a running container, start it hijacked (or
 * detached), resize its TTY, read its exit code. Errors as ContainerClient.
 */
import type { ApiTransport } from './api-transport.js';
import type { ExecConfig, ExecCreateResponse, ExecInspect, ExecStartConfig } from '../wire/exec.js';
import { HijackedStream } from './hijacked-stream.js';

const enc = encodeURIComponent;

/** The exec routes. Methods may run concurrently. */
export class ExecClient {
  constructor(private readonly api: ApiTransport) {}

  /** Creates an exec; throws not-found (container), conflict (container not running). */
  async create(container: string, config: ExecConfig): Promise<string> {
    return (await this.api.json<ExecCreateResponse>('POST', `/containers/${enc(container)}/exec`, { body: config })).Id;
  }

  /**
   * Starts the exec with its stdio on a hijacked connection; the stream ends when the process's
   * output does. `consoleSize` is [rows, columns] for a TTY.
   */
  async startAttached(id: string, tty: boolean, consoleSize?: [number, number]): Promise<HijackedStream> {
    const body: ExecStartConfig = { Detach: false, Tty: tty, ...(consoleSize === undefined ? {} : { ConsoleSize: consoleSize }) };
    const connection = await this.api.hijack('POST', `/exec/${enc(id)}/start`, { body });
    return new HijackedStream(connection, tty);
  }

  /** Starts the exec in the background; resolves once it runs. */
  async startDetached(id: string, tty: boolean): Promise<void> {
    const body: ExecStartConfig = { Detach: true, Tty: tty };
    await this.api.call('POST', `/exec/${enc(id)}/start`, { body });
  }

  async resize(id: string, rows: number, columns: number): Promise<void> {
    await this.api.call('POST', `/exec/${enc(id)}/resize`, { query: { h: rows, w: columns } });
  }

  inspect(id: string): Promise<ExecInspect> {
    return this.api.json<ExecInspect>('GET', `/exec/${enc(id)}/json`);
  }
}
