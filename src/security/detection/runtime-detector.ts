/**
 * Runtime threat detection on one node: berth-watch reports what containers' processes do
 * (execs, ptrace attaches, opens and writes of watched paths), a scan finds raw and packet
 * sockets, and each event is matched against the rules. A match is recorded as the container's
 * event `detection: <rule>` (in `berth events`, hence in event alerts; throttled per container
 * and rule, detection-throttle.ts), counted in /metrics, and acted on: `alert` only, or `pause`
 * or `kill` the container.
 */
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../base/clock.js';
import { errnoCode, messageOf } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ContainerRecord } from '../../engine/container-record.js';
import { DetectionMetrics } from './detection-metrics.js';
import { DetectionThrottle } from './detection-throttle.js';
import { watchedPaths, type DetectionRule, type DetectionRules } from './detection-rules.js';
import { matchingRules, needsImageCheck, type ContainerFacts, type ExecFacts } from './rule-match.js';
import { newSockets, socketsOfProcess } from './socket-scan.js';
import type { ActivityEvent, FileEvent } from './watch-events.js';
import { WatcherProcess } from './watcher-process.js';

const log = componentLogger('detection');

/** How often the raw and packet socket tables are read. */
const SOCKET_SCAN_MS = 1000;
/** How long a container's start waits at most for berth-watch to have its marks in place. */
const WATCH_ANSWER_MS = 2000;

export interface RuntimeDetectorOptions {
  engine: ContainerEngine;
  rules: DetectionRules;
  cgroupParent: string;
  /** berth-watch (default: dist/libexec/berth-watch). */
  program?: string;
  socketScanMs?: number;
  /** Time for the event throttle (default: the system clock). */
  clock?: Clock;
}

const isGone = (err: unknown): boolean => ['ENOENT', 'ESRCH', 'ENOTDIR'].includes(errnoCode(err) ?? '');

/** What the rules need of a watched container, kept from when it is watched (events come by the thousand). */
interface WatchedContainer {
  id: string;
  name: string;
  facts: ContainerFacts;
  /** Its writable layer's directory. */
  upper: string;
}

/** Whether the executed file is outside the image's layers: in the container's writable layer. */
async function execFacts(container: WatchedContainer, event: FileEvent): Promise<ExecFacts> {
  try {
    const stat = await lstat(join(container.upper, event.path));
    return { notInImage: stat.isFile() };
  } catch (err) {
    if (isGone(err)) return { notInImage: false };
    throw err;
  }
}

export class RuntimeDetector {
  readonly metrics = new DetectionMetrics();
  #rules: DetectionRules;
  readonly #watched = new Map<string, WatchedContainer>();
  readonly #sockets = new Map<string, Set<number>>();
  readonly #lastExec = new Map<string, string>();
  readonly #throttle: DetectionThrottle;
  #hostNet = '';
  #offs: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #scanning = false;
  #watcher: WatcherProcess | undefined;

  private constructor(private readonly options: RuntimeDetectorOptions) {
    this.#rules = options.rules;
    this.#throttle = new DetectionThrottle(options.clock ?? systemClock);
  }

  /** Starts the watcher and watches every running container. Throws unavailable when berth-watch cannot run. */
  static async start(options: RuntimeDetectorOptions): Promise<RuntimeDetector> {
    const detector = new RuntimeDetector(options);
    detector.#hostNet = await readlink('/proc/self/ns/net');
    detector.#watcher = await WatcherProcess.start({
      cgroupParent: options.cgroupParent, ...(options.program !== undefined && { program: options.program }),
      onEvent: (event) => { detector.#handle(event); },
      onExit: (code) => { if (detector.#timer !== undefined) log.error(`berth-watch ended (exit code ${String(code)}): runtime detection of execs and files stopped`); },
    });
    const { events } = options.engine;
    detector.#offs = [
      // Watched before its program runs, so nothing it does first escapes; each run mounts a new root filesystem.
      options.engine.startHooks.add(async (id) => {
        detector.#unwatch(id);
        await detector.#watch(id);
      }),
      events.on('exit', (id) => { detector.#unwatch(id); }),
      events.on('removed', (id) => { detector.#unwatch(id); }),
    ];
    await Promise.all(options.engine.list().filter((record) => record.state.pid > 0).map((record) => detector.#watch(record.id)));
    detector.#timer = setInterval(() => {
      if (detector.#scanning) return; // the one before is still reading (a busy machine): it would report what this one finds
      detector.#scanning = true;
      void detector.#scanSockets().finally(() => { detector.#scanning = false; });
    }, options.socketScanMs ?? SOCKET_SCAN_MS);
    detector.#timer.unref();
    return detector;
  }

  get rules(): DetectionRules {
    return this.#rules;
  }

  /** Puts new rules in force; watched containers are watched again for the new rules' paths. */
  async replace(rules: DetectionRules): Promise<void> {
    this.#rules = rules;
    for (const id of [...this.#watched.keys()]) {
      this.#unwatch(id);
      await this.#watch(id);
    }
  }

  /** Watches the container (at most WATCH_ANSWER_MS for berth-watch's answer: a start never waits longer). */
  async #watch(id: string): Promise<void> {
    const record = this.options.engine.find(id);
    if (record === undefined || this.#watched.has(id)) return;
    const { reads, writes } = watchedPaths(this.#rules);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => { resolve('late'); }, WATCH_ANSWER_MS); });
    try {
      // Never fails the start it is a hook of: what goes wrong is logged, and the container runs unwatched.
      const facts: ContainerFacts = { image: record.config.image, initPid: await this.#initPid(record), usesInit: record.config.options.init === true };
      this.#watched.set(id, { id, name: record.name, facts, upper: this.options.engine.writableLayers.dir(id) });
      this.metrics.watching(this.#watched.size);
      const answered = this.#watcher?.watch(id, this.options.engine.paths.rootfs(id), reads, writes) ?? Promise.resolve();
      if (await Promise.race([answered, late]) === 'late') log.warn(`container ${id.slice(0, 12)}: berth-watch did not answer within ${WATCH_ANSWER_MS} ms; the container runs, watched once it does`);
    } catch (err) {
      log.warn(`container ${id.slice(0, 12)}: its files are not watched: ${messageOf(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #unwatch(id: string): void {
    if (!this.#watched.delete(id)) return;
    this.#sockets.delete(id);
    this.#lastExec.delete(id);
    this.#throttle.forget(id);
    this.#watcher?.unwatch(id);
    this.metrics.watching(this.#watched.size);
  }

  #handle(event: ActivityEvent): void {
    const container = this.#watched.get(event.cid);
    if (container === undefined) return; // not watched (any more), or not this engine's
    if (event.ev === 'exec') {
      // A process that execs again at once can be read after its second exec for both events.
      const key = `${event.pid} ${event.exe} ${event.argv.join('\0')}`;
      if (this.#lastExec.get(event.cid) === key) return;
      this.#lastExec.set(event.cid, key);
    }
    const judge = async (): Promise<void> => {
      const exec = event.ev === 'execfile' && needsImageCheck(this.#rules.rules) ? await execFacts(container, event) : undefined;
      if (event.ev === 'execfile' && exec === undefined) return;
      for (const rule of matchingRules(this.#rules.rules, event, container.facts, exec)) await this.#act(rule, container, event);
    };
    judge().catch(warnOnFailure(log, 'judging a container\'s activity', { id: event.cid }));
  }

  /** The host pid of the container's first process; read from its pid file while the start is still being recorded (the start hook). */
  async #initPid(record: ContainerRecord): Promise<number> {
    if (record.state.pid > 0) return record.state.pid;
    const text = await readFile(this.options.engine.paths.pidFile(record.id), 'utf8').catch((err: unknown) => {
      if (isGone(err)) return '0';
      throw err;
    });
    return Number.parseInt(text, 10) || 0;
  }

  async #act(rule: DetectionRule, record: WatchedContainer, event: ActivityEvent): Promise<void> {
    const { engine } = this.options;
    this.metrics.detected(rule.name, rule.action);
    if (this.#throttle.admit(record.id, rule.name)) {
      engine.events.emit('action', record.id, `detection: ${rule.name}`, { rule: rule.name, severity: rule.severity, action: rule.action, ...describe(event) });
      log.warn(`container ${record.name} (${record.id.slice(0, 12)}): rule ${rule.name} matched (${rule.action})`, describe(event));
    } else {
      this.metrics.suppressed(rule.name);
    }
    if (rule.action === 'alert') return;
    const status = engine.find(record.id)?.state.status;
    try {
      // Once: later matches find the container killed or paused already.
      if (rule.action === 'kill' && (status === 'running' || status === 'paused')) await engine.kill(record.id, 'KILL');
      else if (rule.action === 'pause' && status === 'running') await engine.pause(record.id);
    } catch (err) {
      this.metrics.actionFailed(rule.action);
      log.warn(`container ${record.id.slice(0, 12)}: rule ${rule.name}: ${rule.action} failed: ${messageOf(err)}`);
    }
  }

  async #scanSockets(): Promise<void> {
    if (!this.#rules.rules.some((rule) => rule.on === 'socket')) return;
    for (const [id, { facts }] of this.#watched) {
      const pid = facts.initPid;
      if (pid <= 0) continue;
      try {
        if (await readlink(`/proc/${pid}/ns/net`) === this.#hostNet) continue; // --network host: the host's sockets are not the container's
        const seen = this.#sockets.get(id) ?? new Set<number>();
        this.#sockets.set(id, seen);
        for (const event of newSockets(id, await socketsOfProcess(pid), seen)) this.#handle(event);
      } catch (err) {
        if (!isGone(err)) log.warn(`container ${id.slice(0, 12)}: reading its sockets failed: ${messageOf(err)}`);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const off of this.#offs) off();
    await this.#watcher?.close();
  }
}

/** An event's attributes in `berth events` (strings, short). */
function describe(event: ActivityEvent): Record<string, string> {
  switch (event.ev) {
    case 'exec': return { on: 'exec', pid: String(event.pid), exe: event.exe, command: event.argv.join(' ').slice(0, 200) };
    case 'ptrace': return { on: 'ptrace', pid: String(event.pid), exe: event.exe, target: String(event.target) };
    case 'open':
    case 'write': return { on: event.ev, pid: String(event.pid), exe: event.exe, path: event.path };
    case 'execfile': return { on: 'exec', pid: String(event.pid), exe: event.path };
    case 'socket': return { on: 'socket', kind: event.kind, protocol: event.protocol };
  }
}
