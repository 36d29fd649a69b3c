/**
 * The client of one berthd (or any Docker Engine API on a unix socket): containers, execs, images
 * and the system routes over one transport.
 */
import { socketPathOf } from './api-host.js';
import { ApiTransport } from './api-transport.js';
import { ContainerClient } from './container-client.js';
import { EventClient } from './event-client.js';
import { ExecClient } from './exec-client.js';
import { ImageClient } from './image-client.js';

/** The sub-clients share one transport; calls on them may run concurrently. */
export class BerthClient {
  readonly transport: ApiTransport;
  readonly containers: ContainerClient;
  readonly execs: ExecClient;
  readonly images: ImageClient;
  readonly events: EventClient;

  /** `host` is `unix:///path/to/berth.sock` or a socket path; throws invalid-argument otherwise. */
  constructor(host: string) {
    this.transport = new ApiTransport(socketPathOf(host));
    this.containers = new ContainerClient(this.transport);
    this.execs = new ExecClient(this.transport);
    this.images = new ImageClient(this.transport);
    this.events = new EventClient(this.transport);
  }

  /** `GET /_ping`: resolves when the daemon answers; unavailable when nothing listens. */
  async ping(): Promise<void> {
    await this.transport.call('GET', '/_ping');
  }

  /** `GET /version`. */
  version(): Promise<Record<string, unknown>> {
    return this.transport.json('GET', '/version');
  }
}
