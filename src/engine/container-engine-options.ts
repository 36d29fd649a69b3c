/**
 * The options of `ContainerEngine.open`: the collaborators the composition made (the engine
 * constructs none of them; daemon/node-services.ts builds the whole set) and its settings.
 */
import type { Clock, Timers } from '../base/clock.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { EventRetention } from '../events/event-log.js';
import type { ImageService } from '../images/image-service.js';
import type { NetworkService } from '../network/network-service.js';
import type { OciRuntimes } from '../runtime/oci-runtimes.js';
import type { UsernsMode, UsernsPool } from '../runtime/userns/id-ranges.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { HostFacts } from './host-facts.js';
import type { LogSettings } from '../runtime/logging/log-options.js';

export interface ContainerEngineOptions {
  images: ImageService;
  /** Every child process of the engine goes through it. */
  runner: ProcessRunner;
  /** The host's limits, capabilities, kernel, cgroup layout, hosts and resolv.conf. */
  host: HostFacts;
  /** The OCI runtimes on the state root (`openRuntimes` in container-task.ts). */
  runtimes: OciRuntimes;
  /** The node's bridge networks; the engine closes it with `close`. */
  network: NetworkService;
  /** The node's named volumes. */
  volumes: VolumeService;
  clock?: Clock;
  conmonPath?: string;
  /** Absolute cgroup parent of every container (default `/berth`). */
  cgroupParent?: string;
  /** `--init` binary (a name on PATH or a path); tini-static when absent. */
  initPath?: string;
  /** Delayed calls of restart backoff and health probes (system timers when absent). */
  timers?: Timers;
  /** How many and how old events the event log keeps. */
  eventRetention?: EventRetention;
  /** Mode of a create that names none (`--userns-default`; default `host`). */
  usernsDefault?: UsernsMode;
  /** Host ids for `--userns auto` (the composition reads /etc/subuid and /etc/subgid; DEFAULT_USERNS_POOL when absent). */
  usernsPool?: UsernsPool;
  /** The berth-idmap program (default: dist/libexec/berth-idmap). */
  idmapProgram?: string;
  /** Log driver and options of containers created without one (`--log-driver`, `--log-opt`; default json-file). */
  logDefaults?: LogSettings;
}
