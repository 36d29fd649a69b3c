/**
 * The node's services the routes use beside the container engine, given by the composition
 * (daemon/node-services.ts through `startApiServer`'s options): the named volumes, the bridge
 * networks, and the runner of child processes (checkpoint probes, build contexts).
 */
import type { ProcessRunner } from '../base/process-runner.js';
import type { NetworkService } from '../network/network-service.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { AdmissionGate } from '../security/admission/index.js';

export interface RouteServices {
  volumes: VolumeService;
  networks: NetworkService;
  runner: ProcessRunner;
  /** The node's admission policy (berthd --policy), asked before a create, an update and a pull. */
  admission?: AdmissionGate;
}
