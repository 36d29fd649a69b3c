/**
 * `berth registry serve` / `gc` (the CLI's registry port, cli/berth-ports.ts): the OCI distribution
 * server of registry/ composed in the berth process.
 */
import { join } from 'node:path';
import type { Clock } from '../../base/clock.js';
import { errors } from '../../base/errors.js';
import { goDurationMs } from '../../cli/time-arg.js';
import { printJson } from '../../cli/context.js';
import type { RegistryServerCommands } from '../../cli/berth-ports.js';
import type { RegistryGcFlags, RegistryServeFlags } from '../../cli/commands/registry-flags.js';
import { describeCollection } from '../../registry/gc/registry-collector.js';
import type { PullGate } from '../../registry/policy/pull-gate.js';
import { loadRegistryPolicyFile } from '../../registry/policy/registry-policy.js';
import type { RunningRegistry } from '../../registry/registry-server.js';
import { untilStopSignal } from '../../base/stop-signal.js';
import { registryPullGate as pullGateOf } from './registry-pull-gate.js';
import { ScanService } from '../../security/scan-service.js';
import { processClock, processRunner } from './process-parts.js';

export const DEFAULT_REGISTRY_ROOT = '/var/lib/berth-registry';

function duration(flag: string, value: string): number {
  const ms = value === '0' ? 0 : goDurationMs(value);
  if (ms === undefined) throw errors.invalidArgument('invalid-duration', `${flag} ${value}: want a duration such as 30s, 10m, 1h`);
  return ms;
}

/**
 * The pull gate of the registries this process serves (`berth registry serve --policy`, berthd's
 * `--registry-policy`): `signed` pull rules checked against the registry's own signatures,
 * `vulnerabilities` rules with the scan database of `scanRoot` (`<scanRoot>/scan/vulns.db`: the
 * registry's own directory for `berth registry serve`, berthd's state root for berthd's registry),
 * opened on first use and closed when the process exits.
 */
export function registryPullGate(scanRoot: string): PullGate {
  let scanner: ScanService | undefined;
  return pullGateOf('this registry', () => {
    if (scanner === undefined) {
      const opened = ScanService.open(scanRoot, { runner: processRunner, clock: processClock });
      process.once('exit', () => { opened.close(); });
      scanner = opened;
    }
    return scanner;
  });
}

/** `berth registry serve`: runs until SIGTERM/SIGINT, then closes the server and the database. */
export async function serveRegistry(flags: RegistryServeFlags): Promise<void> {
  const { startRegistryServer } = await import('../../registry/registry-server.js');
  if (flags.auth !== undefined && flags.auth !== 'basic' && flags.auth !== 'token') throw errors.invalidArgument('registry-auth', `--auth ${flags.auth}: want basic or token`);
  if (flags.auth !== undefined && flags.htpasswd === undefined && flags.accessConfig === undefined) throw errors.invalidArgument('registry-auth', '--auth needs --htpasswd or --access-config');
  const registry = await startRegistryServer({
    root: flags.root ?? DEFAULT_REGISTRY_ROOT,
    addr: flags.addr,
    gcIntervalMs: duration('--gc-interval', flags.gcInterval),
    gcGraceMs: duration('--gc-grace', flags.gcGrace),
    uploadTtlMs: duration('--upload-ttl', flags.uploadTtl),
    ...(flags.htpasswd !== undefined && { htpasswd: flags.htpasswd }),
    ...(flags.auth !== undefined && { auth: flags.auth }),
    ...(flags.accessConfig !== undefined && { accessConfig: flags.accessConfig }),
    ...(flags.tlsCert !== undefined && { tlsCert: flags.tlsCert }),
    ...(flags.tlsKey !== undefined && { tlsKey: flags.tlsKey }),
    ...(flags.proxyConfig !== undefined && { proxyConfig: flags.proxyConfig }),
    ...(flags.policy !== undefined && { policy: flags.policy }),
    ...gateOption(flags.root ?? DEFAULT_REGISTRY_ROOT),
    // Every line on stderr, each collection's included, as the lines above and below.
    log: (line) => { process.stderr.write(`${line}\n`); },
  });
  process.stderr.write(`berth registry: serving ${registry.url} (state ${flags.root ?? DEFAULT_REGISTRY_ROOT})\n`);
  await untilStopSignal();
  await registry.close();
  process.stderr.write('berth registry: stopped\n');
}

function gateOption(scanRoot: string): { pullGate: PullGate } {
  return { pullGate: registryPullGate(scanRoot) };
}

/** berthd's registry flags. */
export interface DaemonRegistryFlags {
  root: string;
  registryAddr?: string;
  registryPolicy?: string;
}

/** Checks berthd's registry flags before it opens anything: --registry-policy needs --registry-addr, and a valid file. */
export async function readDaemonRegistryFlags(flags: DaemonRegistryFlags): Promise<void> {
  if (flags.registryPolicy === undefined) return;
  if (flags.registryAddr === undefined) throw errors.invalidArgument('invalid-option', '--registry-policy needs --registry-addr');
  await loadRegistryPolicyFile(flags.registryPolicy, gateOption(flags.root));
}

/** berthd's `--registry-addr`: the registry with its state in `<root>/registry`, its policy read again on SIGHUP. */
export async function startDaemonRegistry(flags: DaemonRegistryFlags, clock: Clock): Promise<RunningRegistry | undefined> {
  if (flags.registryAddr === undefined) return undefined;
  const { startRegistryServer } = await import('../../registry/registry-server.js');
  return startRegistryServer({
    root: join(flags.root, 'registry'), addr: flags.registryAddr, clock,
    ...(flags.registryPolicy !== undefined && { policy: flags.registryPolicy }),
    ...gateOption(flags.root),
  });
}

/** `berth registry gc`: one collection on the state directory (a running server may keep serving). */
export async function collectRegistry(flags: RegistryGcFlags): Promise<void> {
  const { RegistryStorage } = await import('../../registry/registry.js');
  const storage = await RegistryStorage.open({ root: flags.root ?? DEFAULT_REGISTRY_ROOT, gcGraceMs: duration('--gc-grace', flags.gcGrace) });
  try {
    const result = await storage.collector.collect();
    if (flags.format === 'json') printJson(result);
    else process.stdout.write(`${describeCollection(result)}\n`);
  } finally {
    storage.close();
  }
}

export const registryServerCommands: RegistryServerCommands = { serve: serveRegistry, collect: collectRegistry };
