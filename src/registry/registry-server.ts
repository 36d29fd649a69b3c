import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../base/clock.js';
import { errnoCode, errors, messageOf } from '../base/errors.js';
import { writeFileAtomic } from '../base/atomic-file.js';
import { componentLogger } from '../base/logger.js';
import { parseJson } from '../oci/parse-json.js';
import { z } from 'zod';
import { AUTHENTICATED_ALL, loadAccessConfig } from './auth/access-config.js';
import { TokenSigner } from './auth/bearer-token.js';
import { describeCollection } from './gc/registry-collector.js';
import { PasswordFile } from './auth/htpasswd.js';
import { RegistryAuth, type AuthMode } from './auth/registry-auth.js';
import { PullThroughCache, upstreamSchema } from './proxy/pull-through-cache.js';
import type { PullGate } from './policy/pull-gate.js';
import { EMPTY_REGISTRY_POLICY, loadRegistryPolicyFile, registryPolicySummary, type RegistryPolicyReadOptions } from './policy/registry-policy.js';
import { buildRegistryApp } from './registry-app.js';
import { RegistryMetrics } from './registry-metrics.js';
import { RegistryStorage } from './registry.js';

const log = componentLogger('registry');

export interface RegistryServerOptions {
  root: string;
  /** `host:port`; port 0 picks a free one. */
  addr: string;
  htpasswd?: string;
  /** `basic` (default with --htpasswd) or `token` (the built-in token service). */
  auth?: Exclude<AuthMode, 'none'>;
  accessConfig?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** JSON file: a list of upstreams for pull-through caches. */
  proxyConfig?: string;
  /** Run garbage collection this often (0: never). */
  gcIntervalMs?: number;
  gcGraceMs?: number;
  uploadTtlMs?: number;
  /**
   * Registry policy file (YAML: immutable tags, pull rules), read at start (an invalid one: the
   * server does not start) and again on SIGHUP (an invalid one is logged; the policy stays).
   */
  policy?: string;
  /** Decides pulls under the policy's pull rules; a policy with pull rules needs one. */
  pullGate?: PullGate;
  clock?: Clock;
  /**
   * Where the server's log lines go, each `registry: …` (each collection and what it removed, a
   * periodic task's failure). Default: the process logger (component `registry`).
   */
  log?: (line: string) => void;
}

/** A running registry server. */
export interface RunningRegistry {
  app: FastifyInstance;
  storage: RegistryStorage;
  /** `http(s)://host:port` it listens on. */
  url: string;
  /** Reads the policy file again, as SIGHUP does: true when the new policy is in force. */
  reloadPolicy(): Promise<boolean>;
  close(): Promise<void>;
}

async function tokenKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await writeFileAtomic(path, key, 0o600);
  return readFile(path);
}

async function authFor(options: RegistryServerOptions, storage: RegistryStorage, clock: Clock): Promise<RegistryAuth> {
  if (options.htpasswd === undefined && options.accessConfig === undefined) return RegistryAuth.none(clock);
  const config = options.accessConfig === undefined ? AUTHENTICATED_ALL : await loadAccessConfig(options.accessConfig);
  const robots = config.robots.map((robot): [string, string] => [`robot$${robot.name}`, robot.secretHash]);
  const passwords = options.htpasswd === undefined ? new PasswordFile(new Map(robots)) : await PasswordFile.load(options.htpasswd, robots);
  if (options.auth === 'token') {
    const signer = new TokenSigner(await tokenKey(storage.paths.tokenKey), 'berth-registry', 'berth-registry');
    return RegistryAuth.token(clock, passwords, config, signer);
  }
  return RegistryAuth.basic(clock, passwords, config);
}

function splitAddr(addr: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(addr);
  if (!match?.[1] || match[2] === undefined) throw errors.invalidArgument('registry-addr', `--addr: want host:port, got "${addr}"`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/**
 * Opens the registry's storage on `root` and serves it on `addr` (TLS when cert and key are
 * given). Runs the collector and the upload expiry periodically; `close()` stops everything.
 */
export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistry> {
  const clock = options.clock ?? systemClock;
  const { host, port } = splitAddr(options.addr);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw errors.invalidArgument('registry-tls', '--tls-cert and --tls-key go together');
  const policyPath = options.policy;
  const policyOptions: RegistryPolicyReadOptions = options.pullGate === undefined ? {} : { pullGate: options.pullGate };
  let policy = policyPath === undefined ? EMPTY_REGISTRY_POLICY : await loadRegistryPolicyFile(policyPath, policyOptions);
  const storage = await RegistryStorage.open({
    root: options.root, clock,
    ...(options.uploadTtlMs !== undefined && { uploadTtlMs: options.uploadTtlMs }),
    ...(options.gcGraceMs !== undefined && { gcGraceMs: options.gcGraceMs }),
  });
  const https = options.tlsCert !== undefined && options.tlsKey !== undefined ? { cert: await readFile(options.tlsCert), key: await readFile(options.tlsKey) } : undefined;
  const upstreams = options.proxyConfig === undefined ? [] : parseJson(z.array(upstreamSchema), await readFile(options.proxyConfig), `proxy config ${options.proxyConfig}`);
  const metrics = new RegistryMetrics();
  const app = buildRegistryApp({
    storage, metrics,
    auth: await authFor(options, storage, clock),
    policy: () => policy,
    ...(options.pullGate !== undefined && { pullGate: options.pullGate }),
    ...(upstreams.length > 0 && { cache: new PullThroughCache(storage, upstreams, clock) }),
    ...(https !== undefined && { https }),
  });
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const given = options.log;
  const note = (message: string, level: 'info' | 'warn' = 'info'): void => {
    if (given !== undefined) given(`registry: ${message}`);
    else log[level](message);
  };
  const reloadPolicy = async (): Promise<boolean> => {
    if (policyPath === undefined) return false;
    try {
      policy = await loadRegistryPolicyFile(policyPath, policyOptions);
      note(`policy ${policyPath} reloaded: ${registryPolicySummary(policy)}`);
      return true;
    } catch (err) {
      note(`policy ${policyPath} not reloaded, the previous one stays in force: ${messageOf(err)}`, 'warn');
      return false;
    }
  };
  const onHangup = (): void => { void reloadPolicy(); };
  if (policyPath !== undefined) {
    note(`policy ${policyPath}: ${registryPolicySummary(policy)}`);
    process.on('SIGHUP', onHangup);
  }
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, what: string, work: () => Promise<unknown>): void => {
    if (ms <= 0) return;
    const timer = setInterval(() => {
      void work().catch((err: unknown) => {
        if (given !== undefined) given(`registry: ${String(err)}`);
        else log.warn(`${what} failed`, { err });
      });
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  every(options.gcIntervalMs ?? 0, 'garbage collection', async () => {
    const started = Date.now();
    const result = await storage.collector.collect();
    metrics.collected(result.manifestsRemoved, result.blobsRemoved);
    note(`garbage collection ${describeCollection(result)} in ${Date.now() - started} ms`);
  });
  every(Math.min(storage.uploads.ttlMs, 600_000), 'expiring upload sessions', () => storage.uploads.expire());
  return {
    app, storage,
    url: `${https === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    reloadPolicy,
    close: async () => {
      process.off('SIGHUP', onHangup);
      for (const timer of timers) clearInterval(timer);
      await app.close();
      storage.close();
    },
  };
}

