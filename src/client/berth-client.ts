/**
 * The client of one berthd (or any Docker Engine API on a unix socket): containers, execs, images
 * and the system routes over one transport.
 */
import { socketPathOf } from './api-host.js';
import { ApiTransport, type ApiTransportOptions } from './api-transport.js';
import { BuildClient } from './build-client.js';
import { ContainerClient } from './container-client.js';
import { ContainerFilesClient } from './container-files-client.js';
import { EventClient } from './event-client.js';
import { ExecClient } from './exec-client.js';
import { ImageClient } from './image-client.js';
import { VolumeClient } from './volume-client.js';
import { SecurityClient } from './security-client.js';
import { NetworkClient } from './network-client.js';
import { ClusterClient } from './cluster-client.js';
import { FileObjectClient } from './file-object-client.js';
import { OverlayClient } from './overlay-client.js';
import { NetworkPolicyClient } from './network-policy-client.js';
import type { DiskUsage, SystemInfo, SystemVersion } from '../wire/system.js';

/** The sub-clients share one transport; calls on them may run concurrently. */
export class BerthClient {
  readonly transport: ApiTransport;
  readonly containers: ContainerClient;
  readonly files: ContainerFilesClient;
  readonly execs: ExecClient;
  readonly images: ImageClient;
  readonly volumes: VolumeClient;
  readonly security: SecurityClient;
  readonly networks: NetworkClient;
  readonly builds: BuildClient;
  readonly events: EventClient;
  readonly cluster: ClusterClient;
  /** The cluster's secrets and configs. */
  readonly fileObjects: FileObjectClient;
  /** The node's share of cluster overlay networks (`/berth/v1/overlays`). */
  readonly overlays: OverlayClient;
  /** The cluster's network policies (`/berth/v1/network-policies`). */
  readonly networkPolicies: NetworkPolicyClient;

  /**
   * `host` is `unix:///path/to/berth.sock` or a socket path; `options.token` is sent with every
   * request. Throws invalid-argument for another host or a token that cannot be sent.
   */
  constructor(host: string, options: ApiTransportOptions = {}) {
    this.transport = new ApiTransport(socketPathOf(host), options);
    this.containers = new ContainerClient(this.transport);
    this.files = new ContainerFilesClient(this.transport);
    this.execs = new ExecClient(this.transport);
    this.images = new ImageClient(this.transport);
    this.volumes = new VolumeClient(this.transport);
    this.security = new SecurityClient(this.transport);
    this.networks = new NetworkClient(this.transport);
    this.builds = new BuildClient(this.transport);
    this.events = new EventClient(this.transport);
    this.cluster = new ClusterClient(this.transport);
    this.fileObjects = new FileObjectClient(this.transport);
    this.overlays = new OverlayClient(this.transport);
    this.networkPolicies = new NetworkPolicyClient(this.transport);
  }

  /** `GET /_ping`: resolves when the daemon answers; unavailable when nothing listens. */
  async ping(): Promise<void> {
    await this.transport.call('GET', '/_ping');
  }

  /** `GET /system/df`: images, containers (with SizeRw), volumes and build cache. */
  diskUsage(): Promise<DiskUsage> {
    return this.transport.json('GET', '/system/df');
  }

  /** `GET /info`: what `docker info` shows (counts, storage, runtimes, kernel, resources). */
  info(): Promise<SystemInfo> {
    return this.transport.json('GET', '/info');
  }

  /** `GET /version`. */
  version(): Promise<SystemVersion> {
    return this.transport.json('GET', '/version');
  }
}
