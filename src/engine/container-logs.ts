/**
 * Containers' logs by driver (container-log-config.ts): for json-file and local, one LogShipment
 * per running container copies conmon's spool into the driver's files while berthd runs, and
 * catches up from its checkpoint when berthd starts again (containers outlive berthd; the spool
 * is what conmon keeps writing meanwhile). `logs` and `attach --logs` read through here.
 *
 * Callers serialize beforeRun/settle/forget per container (the engine's container lock); reads
 * and follows may run at any time.
 */
import { hostname as hostHostname } from 'node:os';
import { errors, messageOf } from '../base/errors.js';
import { KeyedMutex } from '../base/keyed-mutex.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { ImageConfig } from '../oci/schemas.js';
import type { LogEntry } from '../runtime/k8s-file-log.js';
import { followLog, readLog, type LogFilter } from '../runtime/log-reader.js';
import { logAttributes } from '../runtime/logging/log-attributes.js';
import { jsonFileRotation, localRotation, resolveLogSettings, type LogConfigRequest, type LogSettings } from '../runtime/logging/log-options.js';
import { LogShipment } from '../runtime/logging/log-shipment.js';
import { copyIsBehind } from '../runtime/logging/spool-file.js';
import { marshalAttributes } from '../runtime/logging/json-file-line.js';
import { followShippedLog, readShippedLog, type ShippedLog } from '../runtime/logging/shipped-log-reader.js';
import { logFileOf, logInfoOf, logSettingsOf, recordLogConfig, shippedFormatOf } from './container-log-config.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord, type LogConfig } from './container-record.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('engine');

export interface ContainerLogsOptions {
  paths: ContainerPaths;
  runner: ProcessRunner;
  /** The driver and options of containers that name none (`berthd --log-driver`, `--log-opt`). */
  defaults: LogSettings;
  /** A container's image config (json-file's `labels`, `env` and `tag` refer to it). */
  imageConfig: (imageId: string) => Promise<ImageConfig>;
  /** Problems that do not stop anything (default: a warning of the `engine` component logger). */
  warn?: (message: string) => void;
}

/** Docker's default, json-file without options: what a daemon started without --log-driver uses. */
export const DEFAULT_LOG_SETTINGS: LogSettings = { driver: 'json-file', options: {} };

export class ContainerLogs {
  readonly #shipments = new Map<string, LogShipment>();
  readonly #mutex = new KeyedMutex();
  readonly #warn: (message: string) => void;

  constructor(private readonly options: ContainerLogsOptions) {
    this.#warn = options.warn ?? ((message) => { log.warn(`logs: ${message}`); });
  }

  get defaults(): LogSettings {
    return this.options.defaults;
  }

  /**
   * The record's log config for a create request's LogConfig, the daemon's default merged in as
   * dockerd merges it. Throws invalid-argument (`unknown-log-driver`, `unknown-log-opt`, `invalid-log-opt`).
   */
  configFor(request: LogConfigRequest | undefined): LogConfig {
    return recordLogConfig(resolveLogSettings(request, this.options.defaults));
  }

  /** Before a run starts: copies what an earlier run left, empties the spool, copies as conmon writes. */
  async beforeRun(record: ContainerRecord): Promise<void> {
    if (shippedFormatOf(record) === undefined) return;
    await this.#mutex.run(record.id, async () => {
      const shipment = await this.#open(record);
      await shipment.startAfresh();
      shipment.watch();
    });
  }

  /** A running container adopted when the engine opens: copies from where the copy stopped. */
  async #resume(record: ContainerRecord): Promise<void> {
    await this.#mutex.run(record.id, async () => { (await this.#open(record)).watch(); });
  }

  /**
   * After a run ended (conmon has written everything): copies the rest and stops. Never throws:
   * a failure is reported through `warn`, and the next read of the log tries again.
   */
  async settle(record: ContainerRecord): Promise<void> {
    if (shippedFormatOf(record) === undefined) return;
    await this.#mutex.run(record.id, () => this.#finishCopy(record, true))
      .catch((err: unknown) => { this.#warn(`container ${record.id}: copying its last output: ${messageOf(err)}`); });
  }

  /** When the engine opens: running containers are copied again, the others caught up. */
  async restore(records: readonly ContainerRecord[]): Promise<void> {
    for (const record of records) {
      if (!isActive(record.state)) await this.settle(record);
      else if (shippedFormatOf(record) !== undefined) await this.#resume(record).catch((err: unknown) => { this.#warn(`container ${record.id}: copying its output: ${messageOf(err)}`); });
    }
  }

  /** The container is being removed: stops copying (its files go with its directory). */
  async forget(id: string): Promise<void> {
    await this.#mutex.run(id, async () => {
      const shipment = this.#shipments.get(id);
      this.#shipments.delete(id);
      await shipment?.close();
    });
  }

  /** Throws failed-precondition (`logs-not-readable`, dockerd's 501) for a driver that keeps no log. */
  checkReadable(record: ContainerRecord): void {
    if (logSettingsOf(record).driver === 'none') throw errors.failedPrecondition('logs-not-readable', 'configured logging driver does not support reading');
  }

  /** The log's entries, filtered. Throws as checkReadable, and data-loss for a corrupt file. */
  async read(record: ContainerRecord, filter: LogFilter = {}): Promise<LogEntry[]> {
    this.checkReadable(record);
    const shipped = await this.#shipped(record);
    return shipped === undefined ? readLog(this.options.paths.log(record.id), filter) : readShippedLog(shipped, filter);
  }

  /** Entries, then new ones until `signal` aborts or `done` (the container's exit) settles. Throws as read. */
  async* follow(record: ContainerRecord, signal: AbortSignal, filter: Omit<LogFilter, 'untilNs'>, done: Promise<unknown>): AsyncGenerator<LogEntry> {
    this.checkReadable(record);
    const shipped = await this.#shipped(record);
    if (shipped === undefined) yield* followLog(this.options.paths.log(record.id), signal, filter, done);
    else yield* followShippedLog(shipped, signal, filter, done);
  }

  /** Stops every copy (containers keep running; the next open catches up). Resolves once copies in progress have stopped; never rejects. */
  async close(): Promise<void> {
    const closing = [...this.#shipments.values()].map((shipment) => shipment.close().catch((err: unknown) => { this.#warn(`closing a log copy: ${messageOf(err)}`); }));
    this.#shipments.clear();
    await Promise.all(closing);
  }

  /** Copies what a container without a run in progress left behind (a run's copy is its own). */
  async #catchUp(record: ContainerRecord): Promise<void> {
    await this.#mutex.run(record.id, () => this.#finishCopy(record, false));
  }

  /** Under the lock: copies everything and closes the copy; `ofRun`: also a run's open copy (it ended). */
  async #finishCopy(record: ContainerRecord, ofRun: boolean): Promise<void> {
    const open = this.#shipments.get(record.id);
    if (open !== undefined && !ofRun) return;
    const { paths } = this.options;
    if (open === undefined && !(await copyIsBehind(paths.log(record.id), paths.logCheckpoint(record.id)))) return;
    const shipment = open ?? await this.#open(record);
    try {
      await shipment.finish();
    } finally {
      this.#shipments.delete(record.id);
      await shipment.close();
    }
  }

  async #shipped(record: ContainerRecord): Promise<ShippedLog | undefined> {
    const format = shippedFormatOf(record);
    const path = logFileOf(record, this.options.paths);
    if (format === undefined || path === undefined) return undefined;
    // A stopped container whose output was not all copied yet (a failure when it exited).
    if (!this.#shipments.has(record.id) && !isActive(record.state)) await this.#catchUp(record);
    const { options } = logSettingsOf(record);
    const { maxFile } = format === 'json-file' ? jsonFileRotation(options) : localRotation(options);
    return { path, format, maxFile, shipment: this.#shipments.get(record.id) };
  }

  /** The container's open copy, opened (recovered from its checkpoint) if it is not yet. */
  async #open(record: ContainerRecord): Promise<LogShipment> {
    const open = this.#shipments.get(record.id);
    if (open !== undefined) return open;
    const { paths } = this.options;
    const { driver, options } = logSettingsOf(record);
    const json = driver === 'json-file';
    const shipment = await LogShipment.open({
      spoolPath: paths.log(record.id),
      filePath: json ? paths.jsonLog(record.id) : paths.localLog(record.id),
      checkpointPath: paths.logCheckpoint(record.id),
      format: json ? 'json-file' : 'local',
      rotation: json ? jsonFileRotation(options) : localRotation(options),
      attrs: json ? await this.#attributes(record) : undefined,
      runner: this.options.runner,
      warn: this.#warn,
    });
    this.#shipments.set(record.id, shipment);
    return shipment;
  }

  async #attributes(record: ContainerRecord): Promise<string | undefined> {
    const { options } = logSettingsOf(record);
    if (!['labels', 'labels-regex', 'env', 'env-regex', 'tag'].some((key) => (options[key] ?? '') !== '')) return undefined;
    const image = await this.options.imageConfig(record.imageId).then((config) => config.config, (err: unknown) => {
      this.#warn(`container ${record.id}: its image's labels and environment are not in its log attributes: ${messageOf(err)}`);
      return undefined;
    });
    return marshalAttributes(logAttributes(options, logInfoOf(record, image, hostHostname())));
  }
}
