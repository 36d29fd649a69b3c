/**
 * The node's services the routes use beside the container engine, given by the composition
 * (daemon/node-services.ts through `startApiServer`'s options): the named volumes, the bridge
 * networks, and the runner of child processes (checkpoint probes, build contexts).
 */
import type { ProcessRunner } from '../base/process-runner.js';
import type { NetworkService } from '../network/network-service.js';
import type { VolumeService } from '../volumes/volume-service.js';

export interface RouteServices {
  volumes: VolumeService;
  networks: NetworkService;
  runner: ProcessRunner;
}
