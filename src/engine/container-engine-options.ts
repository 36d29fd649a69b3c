/** The options of `ContainerEngine.open`: what it composes and the host facts it may be given. */
import type { Clock, Timers } from '../base/clock.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { EventRetention } from '../events/event-log.js';
import type { ImageService } from '../images/image-service.js';
import type { UsernsMode, UsernsPool } from '../runtime/userns/id-ranges.js';
import type { HostFacts } from './host-facts.js';
import type { LogSettings } from '../runtime/logging/log-options.js';

export interface ContainerEngineOptions {
  images: ImageService;
  runner?: ProcessRunner;
  clock?: Clock;
  runcPath?: string;
  /** The crun binary; absent: crun is offered when it is on PATH. */
  crunPath?: string;
  /** The runtime of containers created without `--runtime` (default runc). */
  defaultRuntime?: string;
  conmonPath?: string;
  /** Absolute cgroup parent of every container (default `/berth`). */
  cgroupParent?: string;
  /** Read from the host when absent. */
  host?: HostFacts;
  /** `--init` binary (a name on PATH or a path); tini-static when absent. */
  initPath?: string;
  /** Where the CNI plugins are (default /usr/lib/cni). */
  cniPluginDir?: string;
  /** Delayed calls of restart backoff and health probes (system timers when absent). */
  timers?: Timers;
  /** How many and how old events the event log keeps. */
  eventRetention?: EventRetention;
  /** Mode of a create that names none (`--userns-default`; default `host`). */
  usernsDefault?: UsernsMode;
  /** Host ids for `--userns auto` (read from /etc/subuid and /etc/subgid when absent). */
  usernsPool?: UsernsPool;
  /** The berth-idmap program (default: dist/libexec/berth-idmap). */
  idmapProgram?: string;
  /** Log driver and options of containers created without one (`--log-driver`, `--log-opt`; default json-file). */
  logDefaults?: LogSettings;
}
