/**
 * A container's log driver as its record keeps it, and what follows from it: the record's log
 * config at create, conmon's log for a run, the files and LogPath of each driver, inspect's
 * LogConfig, and the facts json-file attributes are made of. Pure.
 *
 *   json-file   conmon → container.log (spool) → berthd copies → <id>-json.log[.N[.gz]]
 *   local       conmon → container.log (spool) → berthd copies → local-logs/container.log[.N[.gz]]
 *   none        conmon keeps no log
 *   k8s-file    conmon → container.log (capped at max-size; records from before drivers existed)
 */
import type { ContainerConfig as ImageContainerConfig } from '../oci/schemas.js';
import type { LogInfo } from '../runtime/logging/log-attributes.js';
import { k8sFileMaxSize, type LogDriver, type LogSettings } from '../runtime/logging/log-options.js';
import type { ShippedFormat } from '../runtime/logging/log-shipment.js';
import { commandLine } from '../runtime/spec/command-line.js';
import type { ContainerPaths } from './container-paths.js';
import { ZERO_TIME, type ContainerRecord, type LogConfig } from './container-record.js';

/** The record's log config for resolved settings (`maxSize`: conmon's cap on container.log). */
export function recordLogConfig(settings: LogSettings): LogConfig {
  const maxSize = settings.driver === 'k8s-file' ? k8sFileMaxSize(settings.options) : -1;
  return { driver: settings.driver, options: settings.options, maxSize };
}

/** The container's driver and options (a record from before drivers: k8s-file with its cap). */
export function logSettingsOf(record: ContainerRecord): LogSettings {
  const { log } = record.config;
  if (log.driver === undefined) return { driver: 'k8s-file', options: log.maxSize < 0 ? {} : { 'max-size': String(log.maxSize) } };
  return { driver: log.driver, options: log.options ?? {} };
}

/** Inspect's HostConfig.LogConfig: the driver and its options as given. */
export function logConfigView(record: ContainerRecord): { Type: LogDriver; Config: Record<string, string> } {
  const { driver, options } = logSettingsOf(record);
  return { Type: driver, Config: options };
}

/** The drivers whose files berthd writes from the spool. */
export function shippedFormatOf(record: ContainerRecord): ShippedFormat | undefined {
  const { driver } = logSettingsOf(record);
  return driver === 'json-file' || driver === 'local' ? driver : undefined;
}

/** The current file of the driver's set (undefined for none). */
export function logFileOf(record: ContainerRecord, paths: ContainerPaths): string | undefined {
  switch (logSettingsOf(record).driver) {
    case 'json-file': return paths.jsonLog(record.id);
    case 'local': return paths.localLog(record.id);
    case 'k8s-file': return paths.log(record.id);
    case 'none': return undefined;
  }
}

/** Inspect's LogPath as dockerd gives it: the json-file once the container has started, else empty. */
export function logPathOf(record: ContainerRecord, paths: ContainerPaths): string {
  const { driver } = logSettingsOf(record);
  if (driver === 'k8s-file') return paths.log(record.id);
  return driver === 'json-file' && record.state.startedAt !== ZERO_TIME ? paths.jsonLog(record.id) : '';
}

/** What json-file's `labels`, `env` and `tag` options refer to. */
export function logInfoOf(record: ContainerRecord, image: ImageContainerConfig | null | undefined, hostname: string): LogInfo {
  const { options } = record.config;
  const own = options.env ?? [];
  const keys = new Set(own.map((e) => e.split('=')[0]));
  let command: string[] = [];
  try {
    command = commandLine(options, image ?? {});
  } catch {
    // No command (the image has none and the container gives none): the tag's {{.Command}} is empty.
  }
  return {
    containerId: record.id,
    containerName: record.name,
    imageId: record.imageId,
    imageName: record.config.image,
    labels: { ...(image?.Labels ?? {}), ...(options.labels ?? {}) },
    env: [...own, ...(image?.Env ?? []).filter((e) => !keys.has(e.split('=')[0]))],
    command,
    hostname,
  };
}
