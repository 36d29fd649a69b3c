import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Command } from 'commander';
import { DEFAULT_STATE_ROOT } from '../base/state-root.js';
import { systemClock, systemTimers, type Clock } from '../base/clock.js';
import { ChildProcessRunner } from '../base/process-runner.js';
import { MountHelperRunner } from '../mount/mount-helper-runner.js';
import { errors, messageOf } from '../base/errors.js';
import { componentLogger, installLogSink } from '../base/logger.js';
import { logFormat, logLevel, openDaemonLogger } from './daemon-logger.js';
import { goDurationMs } from '../base/go-duration.js';
import { DEFAULT_EVENT_RETENTION, type EventRetention } from '../events/event-log.js';
import { BERTH_VERSION } from '../base/version.js';
import type { ContainerEngine } from '../engine/container-engine.js';
import { openNodeServices } from './node-services.js';
import { USERNS_MODES, type UsernsMode } from '../runtime/userns/id-ranges.js';
import { DiskWatermarkCollector } from '../engine/disk-watermark.js';
import { lockStateRoot } from './state-root-lock.js';
import { ensureSocketUnserved } from './socket-guard.js';
import type { ImageService } from '../images/image-service.js';
import { openImageNode } from './image-node.js';
import { startApiServer } from '../api/server.js';
import { LazyClusterNode } from './lazy-cluster.js';
import { ScanService } from '../security/scan-service.js';
import { startRescans, watchedImagesOf } from '../security/daemon-hooks.js';
import { RESCAN_FLAG_DEFAULTS, rescanSettings, type RescanFlags } from './rescan-flags.js';
import { Builder } from '../build/builder.js';
import { untilStopSignal } from '../base/stop-signal.js';
import { daemonLogSettings } from '../runtime/logging/log-options.js';
import { openDaemonAccess, type AccessFlags } from './api-access.js';
import { readDashboardFlags } from './dashboard-flags.js';
import { NodeMetrics, parseMetricsAddr, policyDenialsRegistry, startMetricsServer, storeSizesRegistry } from '../metrics/index.js';
import { storeSizeSource } from './store-size-source.js';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

const log = componentLogger('berthd');
/** The `log` option of the services that take one: their lines are berthd's. */
const logWarning = (message: string): void => { log.warn(message); };

interface DaemonOptions extends RescanFlags, AccessFlags {
  root: string;
  socket: string;
  cgroupParent: string;
  /** Disk-usage cleanup, off unless a high watermark is given. */
  gcHighWatermark?: string;
  gcLowWatermark?: string;
  gcMinAge: string;
  gcInterval: string;
  initPath?: string;
  /** The OCI runtime of containers created without --runtime. */
  defaultRuntime: string;
  insecureRegistry: string[];
  eventsMaxCount: string;
  eventsMaxAge: string;
  /** Also serve berth's registry (state in `<root>/registry`) on this host:port. */
  registryAddr?: string;
  /** That registry's policy file (YAML: immutable tags, pull rules), read again on SIGHUP. */
  registryPolicy?: string;
  /** `auto` or `host`: the user namespace of containers created without `--userns`. */
  usernsDefault: string;
  /** The log driver and options of containers created without one (dockerd's log-driver, log-opts). */
  logDriver: string;
  logOpt: string[];
  /** This node's name in a cluster (default: the host name). */
  nodeName?: string;
  /** Also serve `GET /metrics` on this host:port. */
  metricsAddr?: string;
  /** Also serve the web dashboard on this host:port (loopback only, unless with TLS). */
  dashboardAddr?: string;
  /** The dashboard's HTTPS certificate and key (PEM files); with both, --dashboard-addr may be any address. */
  dashboardTlsCert?: string;
  dashboardTlsKey?: string;
  /** Admission policy file (YAML), read again on SIGHUP. */
  policy?: string;
  /** Alert rules file (YAML), read again on SIGHUP. */
  alertRules?: string;
  /** Runtime detection with berth's default rules, or with this rules file (YAML, read again on SIGHUP). */
  detect?: boolean;
  detectionRules?: string;
  /** debug, info, warn or error. */
  logLevel: string;
  /** text or json. */
  logFormat: string;
}

/** Starts the disk watermark collector when asked; returns its stop function. */
function startDiskWatermark(options: DaemonOptions, containers: ContainerEngine, images: ImageService, clock: Clock): () => void {
  if (options.gcHighWatermark === undefined) return () => undefined;
  const high = Number(options.gcHighWatermark);
  for (const [flag, value] of [['--gc-min-age', options.gcMinAge], ['--gc-interval', options.gcInterval]] as const) {
    if (!(Number(value) >= (flag === '--gc-interval' ? 1 : 0))) throw errors.invalidArgument('invalid-flag', `${flag} ${value}: want a number of seconds`);
  }
  const collector = new DiskWatermarkCollector(containers, images, {
    highPercent: high,
    lowPercent: options.gcLowWatermark === undefined ? Math.max(0, high - 5) : Number(options.gcLowWatermark),
    minAgeMs: Number(options.gcMinAge) * 1000,
    clock,
  });
  const timer = setInterval(() => {
    collector.check().then((pass) => {
      if (pass.removedContainers.length + pass.removedImages.length === 0) return;
      log.info(`disk ${pass.before.toFixed(1)}% > ${high}%: removed ${pass.removedContainers.length} stopped containers and ${pass.removedImages.length} unused images (now ${pass.after.toFixed(1)}%)`);
    }, (err: unknown) => { log.error('disk watermark pass failed', { err }); });
  }, Number(options.gcInterval) * 1000);
  timer.unref();
  return () => { clearInterval(timer); };
}

/** How often a running berthd removes what writers that died left (their start-up sweep, again). */
const DEAD_WRITER_SWEEP_MS = 5 * 60_000;

/** Sweeps dead writers' leftovers periodically (a process killed while berthd runs, e.g. `berth --root … load`). */
function startDeadWriterSweep(images: ImageService): () => void {
  const timer = setInterval(() => {
    images.sweepDeadWriters().catch((err: unknown) => { log.error('sweep of dead writers\' leftovers failed', { err }); });
  }, DEAD_WRITER_SWEEP_MS);
  timer.unref();
  return () => { clearInterval(timer); };
}

/**
 * berthd: opens the node's state root (cleaning what crashed writers left), serves the API on a
 * unix socket, and shuts down cleanly on SIGTERM/SIGINT. Start order: store → images → containers
 * (live restore: running containers are adopted, exits while down recorded) → registry, when
 * asked → API; stop order is the reverse. Stopping berthd leaves containers running under their conmon.
 */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const daemonLogger = openDaemonLogger(logLevel(options.logLevel), logFormat(options.logFormat));
  installLogSink(daemonLogger.sink);
  const rescan = rescanSettings(options);
  if (options.metricsAddr !== undefined) parseMetricsAddr(options.metricsAddr);
  // What only a flag asks for (the dashboard, the admission policy, alert rules, the registry) loads only with it.
  const dashboardFlags = await readDashboardFlags(options);
  const dashboardParts = dashboardFlags === undefined ? undefined : await import('../dashboard/index.js');
  const logDefaults = daemonLogSettings(options.logDriver, options.logOpt);
  const policyParts = options.policy === undefined ? undefined : await import('./admission-policy.js');
  const policy = await policyParts?.readPolicyFlag(options.policy);
  const alertParts = options.alertRules === undefined ? undefined : await import('./alerting.js');
  const alertRules = await alertParts?.readAlertRulesFlag(options.alertRules);
  const detectionParts = options.detect === true || options.detectionRules !== undefined ? await import('./runtime-detection.js') : undefined;
  const detectionRules = await detectionParts?.readDetectionFlags(options);
  const registryParts = options.registryAddr === undefined && options.registryPolicy === undefined ? undefined : await import('./berth-process/registry-serve.js');
  await registryParts?.readDaemonRegistryFlags(options);
  await ensureSocketUnserved(options.socket);
  const unlock = await lockStateRoot(options.root);
  // The one process runner and clock of berthd: every service gets these two. Its mounts and
  // umounts of container root file systems are system calls of a co-process, not processes.
  const runner = new MountHelperRunner(new ChildProcessRunner());
  const clock = systemClock;
  const daemonAccess = await openDaemonAccess(options, options.root, { runner, clock, log: logWarning });
  const images = await openImageNode(options.root, { runner, clock });
  const { containers, volumes, networks } = await openNodeServices(images, {
    runner, clock, cgroupParent: options.cgroupParent, defaultRuntime: options.defaultRuntime, eventRetention: eventRetention(options), ...(options.initPath === undefined ? {} : { initPath: options.initPath }),
    usernsDefault: usernsDefault(options.usernsDefault), logDefaults,
  });
  const stopWatermark = startDiskWatermark(options, containers, images, clock);
  const stopSweep = startDeadWriterSweep(images);
  const scanner = ScanService.open(options.root, { runner, clock });
  const rescans = startRescans({ ...rescan, clock, scanner, images, events: containers.eventLog, watchedImages: () => watchedImagesOf(containers.list()) });
  const security = { scanner, images, onDatabaseChanged: () => { rescans.checkNow(); } };
  const admission = policyParts?.openDaemonAdmission(policy, { images, scanner, insecureRegistries: options.insecureRegistry, log: logWarning, ...(daemonAccess.access.audit !== undefined && { audit: daemonAccess.access.audit }) });
  const builder = await Builder.open({ images, engine: containers, runner, networks, ...(admission !== undefined && { admitBase: admission.admitBase }) }, clock);
  // The registry listens before the API socket does: a client that reached the socket finds it.
  const registry = await registryParts?.startDaemonRegistry(options, clock);
  if (registry !== undefined) log.info(`registry at ${registry.url}`);
  // The cluster's machinery loads when this node is a member, or once it inits or joins one.
  const cluster = await LazyClusterNode.open({
    root: options.root, socketPath: options.socket, hostname: options.nodeName ?? hostname(), clock, timers: systemTimers, runner,
    log: (message) => { log.info(message); },
    onClusterEvent: (event) => {
      try {
        containers.eventLog.record(event.type, event.action, { id: event.id, attributes: { ...event.attributes } }, 'swarm');
      } catch (err) {
        log.error('a cluster event was not recorded', { err, type: event.type, action: event.action });
      }
    },
  });
  const detection = detectionRules === undefined ? undefined : await detectionParts?.startDaemonDetection(detectionRules, { engine: containers, cgroupParent: options.cgroupParent, log: (line) => { log.info(line); } });
  const nodeMetrics = new NodeMetrics({ engine: containers, cgroupParent: options.cgroupParent, clock, registries: [rescans.metrics.registry, policyDenialsRegistry(networks.overlays), storeSizesRegistry(storeSizeSource(images, volumes)), ...(detection === undefined ? [] : [detection.detector.metrics.registry])], currentRegistries: () => cluster.metricsRegistries() });
  const alerting = await alertParts?.openDaemonAlerting(alertRules, { root: options.root, events: containers.eventLog, metrics: nodeMetrics, clock, timers: systemTimers, log: logWarning });
  const app = await startApiServer({ images, containers, volumes, networks, runner, security, metrics: [rescans.metrics.registry], nodeMetrics, builder, socketPath: options.socket, logger: daemonLogger.pino.child({ component: 'api' }), ...daemonAccess, insecureRegistries: options.insecureRegistry, cluster, ...(admission !== undefined && { admission: admission.gate }), ...(alerting !== undefined && { alerts: alerting.runner }) });
  const metricsServer = options.metricsAddr === undefined ? undefined : await startMetricsServer(options.metricsAddr, nodeMetrics)
    .catch(async (err: unknown) => { await app.close(); throw err; });
  if (metricsServer !== undefined) log.info(`metrics at ${metricsServer.url}/metrics`);
  const dashboard = dashboardFlags === undefined ? undefined : await dashboardParts?.startDashboard({ ...dashboardFlags, root: options.root, socketPath: options.socket, log: logWarning })
    .catch(async (err: unknown) => { await metricsServer?.close(); await app.close(); throw err; });
  if (dashboard !== undefined) log.info(`dashboard at ${dashboard.url}/ (log in with the URL \`berth dashboard url\` prints)`);
  log.info(`berthd ${BERTH_VERSION}: serving ${options.socket} (state root ${options.root})`);
  // A member resumes once the API serves: its agent drives this engine through the socket.
  await cluster.resume();
  await untilStopSignal();
  await cluster.close();
  await dashboard?.close();
  admission?.close();
  await alerting?.close();
  await detection?.close();
  stopWatermark();
  stopSweep();
  await app.close();
  await daemonAccess.access.audit?.close();
  await metricsServer?.close();
  await registry?.close();
  await rescans.close();
  await containers.shutdown();
  scanner.close();
  await images.close();
  await rm(options.socket, { force: true });
  await unlock();
  log.info('stopped');
}

/** `--userns-default auto|host`. Throws invalid-argument naming the option. */
function usernsDefault(value: string): UsernsMode {
  const mode = USERNS_MODES.find((m) => m === value);
  if (mode === undefined) throw errors.invalidArgument('invalid-option', `--userns-default ${value}: want auto or host`);
  return mode;
}

/** `--events-max-count 10000 --events-max-age 168h`. Throws invalid-argument naming the option. */
function eventRetention(options: DaemonOptions): EventRetention {
  const maxCount = Number(options.eventsMaxCount);
  const maxAgeMs = goDurationMs(options.eventsMaxAge);
  if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw errors.invalidArgument('invalid-option', `--events-max-count ${options.eventsMaxCount}: want a positive integer`);
  if (maxAgeMs === undefined) throw errors.invalidArgument('invalid-option', `--events-max-age ${options.eventsMaxAge}: want a duration such as 168h`);
  return { maxCount, maxAgeMs };
}

/** Entry point of bin/berthd.js. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('berthd')
    .description('berth daemon: serves the Docker Engine API on a unix socket')
    .option('--root <dir>', 'state root', process.env.BERTH_ROOT ?? DEFAULT_STATE_ROOT)
    .option('--socket <path>', 'unix socket to serve the API on', DEFAULT_SOCKET)
    .option('-G, --group <name>', 'group whose members may use the API socket (mode 0660); without such a group, only root', 'berth')
    .option('--socket-role <role>', 'role of socket users other than root (the members of --group)', 'admin')
    .option('--roles <file>', 'custom roles (YAML: roles.<name>.grants[].resources, verbs, labels)')
    .option('--tls-addr <host:port>', 'also serve the API over TLS on this address, to clients with a certificate of --tlscacert or a bearer token')
    .option('--tlscacert <file>', 'CA of the client certificates --tls-addr accepts')
    .option('--tlscert <file>', 'certificate of the TLS listener')
    .option('--tlskey <file>', 'key of the TLS listener')
    .option('--audit-max-size <bytes>', 'start a new audit trail file (<root>/audit) beyond this size', '67108864')
    .option('--node-name <name>', 'this node\'s name in a cluster (node ls\' HOSTNAME; default: the host name)')
    .option('--cgroup-parent <path>', 'absolute cgroup under which containers run', '/berth')
    .option('--gc-high-watermark <percent>', 'remove stopped containers, then unused images, when the state root\'s filesystem is fuller than this (default: off)')
    .option('--gc-low-watermark <percent>', 'until it is at most this full (default: high - 5)')
    .option('--gc-min-age <seconds>', 'keep containers stopped and images loaded less than this long ago', '600')
    .option('--gc-interval <seconds>', 'how often to check the disk', '60')
    .option('--default-runtime <name>', 'OCI runtime of containers created without --runtime: runc or crun', 'runc')
    .option('--init-path <path>', 'init binary that `run --init` makes PID 1 (default: tini-static on PATH)')
    .option('--insecure-registry <host>', 'registry (host[:port]) that may be reached over plain HTTP; repeatable (loopback ones always may)', (value: string, list: string[]) => [...list, value], [])
    .option('--policy <file>', 'admission policy (YAML) for creates, updates and pulls; read again on SIGHUP (docs/admission-policy.md)')
    .option('--alert-rules <file>', 'alert rules (YAML): conditions on metrics and events, notified to webhooks; read again on SIGHUP (docs/monitoring.md)')
    .option('--detect', 'runtime threat detection with berth\'s default rules (docs/runtime-detection.md)')
    .option('--detection-rules <file>', 'runtime threat detection with these rules (YAML); read again on SIGHUP')
    .option('--metrics-addr <host:port>', 'also serve Prometheus metrics (GET /metrics, as on the API socket) on this address')
    .option('--dashboard-addr <host:port>', 'also serve the web dashboard on this address: loopback, or any with --dashboard-tls-cert and --dashboard-tls-key (log in with the URL `berth dashboard url` prints)')
    .option('--dashboard-tls-cert <file>', 'certificate (PEM) of the dashboard, which then serves HTTPS only')
    .option('--dashboard-tls-key <file>', 'private key (PEM) of --dashboard-tls-cert')
    .option('--registry-addr <host:port>', 'also serve berth\'s OCI registry on this address (state in <root>/registry; see berth registry serve for the other settings)')
    .option('--registry-policy <file>', 'policy (YAML) of that registry: immutable tags, pull rules; read again on SIGHUP (docs/registry.md)')
    .option('--events-max-count <n>', 'events the event log keeps', String(DEFAULT_EVENT_RETENTION.maxCount))
    .option('--log-driver <driver>', 'log driver of containers created without one: json-file, local, none or k8s-file', 'json-file')
    .option('--log-opt <key=value>', 'option of the default log driver (e.g. max-size=10m, max-file=3); repeatable', (value: string, list: string[]) => [...list, value], [])
    .option('--userns-default <mode>', 'user namespace of containers created without --userns: host, or auto (own namespace and id range each)', 'host')
    .option('--events-max-age <duration>', 'how long the event log keeps events', `${DEFAULT_EVENT_RETENTION.maxAgeMs / 3_600_000}h`)
    .option('--rescan-severity <level>', 'vulnerability findings at or above LOW, MEDIUM, HIGH or CRITICAL in images in use become events', RESCAN_FLAG_DEFAULTS.rescanSeverity)
    .option('--rescan-interval <duration>', 'rescan every image in use this often (0: only when the vulnerability database or the images in use change)', RESCAN_FLAG_DEFAULTS.rescanInterval)
    .option('--rescan-check-interval <duration>', 'how often to check for a changed vulnerability database and newly used images', RESCAN_FLAG_DEFAULTS.rescanCheckInterval)
    .option('--log-level <level>', 'berthd\'s own log: debug, info, warn or error', 'info')
    .option('--log-format <format>', 'berthd\'s own log on stderr: text or json', 'text')
    .version(BERTH_VERSION);
  program.parse(argv);
  try {
    await runDaemon(program.opts<DaemonOptions>());
    return 0;
  } catch (err) {
    log.error(messageOf(err));
    return 1;
  }
}
