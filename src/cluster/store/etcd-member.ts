/**
 * The etcd member a berthd supervises: `/usr/bin/etcd` with its data dir under berthd's state
 * root (`cluster/etcd/`), started with the given client and peer URLs, waited on until healthy,
 * restarted with backoff when it dies (unless stopping), stopped with TERM (then KILL).
 *
 * etcd runs for as long as berthd does and is not a one-shot command, which the process runner
 * does not offer, so this module uses node:child_process directly (as runtime/conmon-process
 * does). Without `tls` it speaks plain http; with `tls` it speaks https to clients and peers and
 * requires both to present a certificate of the CA in `tls.caFile` (mutual TLS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { errors, messageOf } from '../../base/errors.js';
import type { TlsFiles } from '../trust/tls-files.js';

export const ETCD_PATH = '/usr/bin/etcd';

export interface EtcdPeer {
  readonly name: string;
  readonly peerUrl: string;
}

export interface EtcdMemberOptions {
  readonly name: string;
  /** The member's data dir (berthd: `<state root>/cluster/etcd`). */
  readonly dataDir: string;
  /** `http://<address>:<port>` for clients (`https://` with `tls`). */
  readonly clientUrl: string;
  /** `http://<address>:<port>` for peers (`https://` with `tls`). */
  readonly peerUrl: string;
  /** Every member of the cluster to form or join, this one included (peer URLs of the same scheme). */
  readonly initialCluster: readonly EtcdPeer[];
  /**
   * Mutual TLS for clients and peers: the member's node certificate (SANs: 127.0.0.1 and the
   * member's address), its key and the cluster CA. Clients and peers must present a certificate
   * of that CA. The files are read by etcd at start and by the health check each time.
   */
  readonly tls?: TlsFiles;
  /** `new` to form a cluster; `existing` to join one (after memberAdd, see etcd-membership). */
  readonly clusterState: 'new' | 'existing';
  readonly clusterToken?: string;
  readonly etcdPath?: string;
  /** Bound on waiting for health at start (default 30 s). */
  readonly startTimeoutMs?: number;
  /** Restart backoff: first delay, doubling up to the max (default 200 ms .. 10 s). */
  readonly restartDelayMs?: { readonly min: number; readonly max: number };
  /** Each line etcd writes (it logs JSON to stderr). */
  readonly onLog?: (line: string) => void;
}

const LOG_TAIL = 40;

/**
 * A running, supervised member. `stop` ends supervision and the process (idempotent); `restarts`
 * counts restarts after unexpected exits. `whenHealthy` waits (bounded) for `/health` to answer
 * true. Methods are safe to call concurrently.
 */
export class EtcdMember {
  #child: ChildProcess | undefined;
  #stopping = false;
  #delay: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #restarts = 0;
  readonly #tail: string[] = [];
  /** Why the last health check failed (refused while etcd starts, a timeout…), for `etcd-unhealthy`. */
  #healthProblem = '';

  private constructor(readonly options: EtcdMemberOptions) {
    this.#delay = options.restartDelayMs?.min ?? 200;
  }

  /**
   * Starts the member and waits until it is healthy; on failure nothing is left running.
   * invalid-argument (`etcd-url-scheme`) when a URL's scheme does not match `tls` (https with
   * it, http without).
   */
  static async start(options: EtcdMemberOptions): Promise<EtcdMember> {
    checkSchemes(options);
    const member = new EtcdMember(options);
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    member.#spawn();
    try {
      await member.whenHealthy(options.startTimeoutMs ?? 30_000);
    } catch (err) {
      await member.stop();
      throw err;
    }
    return member;
  }

  get clientUrl(): string {
    return this.options.clientUrl;
  }

  /** The pid of the current etcd process, if one runs. */
  get pid(): number | undefined {
    return this.#child?.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** The last lines etcd wrote, for error messages. */
  get logTail(): readonly string[] {
    return this.#tail;
  }

  /** Waits until `/health` reports true; unavailable (`etcd-unhealthy`) after `timeoutMs`. */
  async whenHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#stopping) throw errors.failedPrecondition('etcd-stopped', `etcd member ${this.options.name} is stopping`);
      if (await this.#healthy()) return;
      if (Date.now() > deadline) {
        const problem = this.#healthProblem === '' ? '' : ` (last check: ${this.#healthProblem})`;
        throw errors.unavailable('etcd-unhealthy', `etcd member ${this.options.name} not healthy after ${timeoutMs} ms${problem}: ${this.#tail.slice(-3).join(' | ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends supervision, then the process: TERM, and KILL after `graceMs` (default 10 s). */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async #healthy(): Promise<boolean> {
    const url = `${this.options.clientUrl}/health`;
    const signal = AbortSignal.timeout(2_000);
    try {
      if (this.options.tls !== undefined) return await healthOverTls(url, this.options.tls, signal);
      const response = await fetch(url, { signal });
      const body = (await response.json()) as { health?: unknown };
      return response.ok && body.health === 'true';
    } catch (err) {
      // Not healthy yet (a starting etcd refuses connections): the caller checks again until its
      // deadline, and then names this failure in its error.
      this.#healthProblem = messageOf(err);
      return false;
    }
  }

  #spawn(): void {
    const o = this.options;
    const args = [
      '--name', o.name,
      '--data-dir', o.dataDir,
      '--listen-client-urls', o.clientUrl,
      '--advertise-client-urls', o.clientUrl,
      '--listen-peer-urls', o.peerUrl,
      '--initial-advertise-peer-urls', o.peerUrl,
      '--initial-cluster', o.initialCluster.map((peer) => `${peer.name}=${peer.peerUrl}`).join(','),
      '--initial-cluster-state', o.clusterState,
      '--initial-cluster-token', o.clusterToken ?? 'berth',
      '--logger', 'zap',
      '--log-outputs', 'stderr',
      // History older than 10 minutes is compacted (as Kubernetes' API server does every 5): a
      // watcher that was away longer relists (revision-compacted), and the database stays small.
      '--auto-compaction-mode', 'periodic',
      '--auto-compaction-retention', '10m',
      ...(o.tls === undefined ? [] : tlsArgs(o.tls)),
    ];
    const child = spawn(o.etcdPath ?? ETCD_PATH, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        this.#tail.push(line);
        if (this.#tail.length > LOG_TAIL) this.#tail.shift();
        o.onLog?.(line);
      }
    });
    const startedAt = Date.now();
    child.on('error', (err) => { this.#tail.push(`spawn failed: ${err.message}`); });
    child.on('exit', () => {
      if (this.#stopping) return;
      // A member that ran for a while earns a fresh backoff.
      const max = o.restartDelayMs?.max ?? 10_000;
      if (Date.now() - startedAt > 30_000) this.#delay = o.restartDelayMs?.min ?? 200;
      const delay = this.#delay;
      this.#delay = Math.min(this.#delay * 2, max);
      this.#restartTimer = setTimeout(() => {
        if (this.#stopping) return;
        this.#restarts += 1;
        this.#spawn();
      }, delay);
    });
  }
}

function checkSchemes(o: EtcdMemberOptions): void {
  const scheme = o.tls === undefined ? 'http:' : 'https:';
  const urls: [string, string][] = [['clientUrl', o.clientUrl], ['peerUrl', o.peerUrl], ...o.initialCluster.map((p): [string, string] => [`initialCluster ${p.name}`, p.peerUrl])];
  for (const [what, url] of urls) {
    if (!url.startsWith(`${scheme}//`)) {
      throw errors.invalidArgument('etcd-url-scheme', `etcd member ${o.name}: ${what} ${url} must start with ${scheme}// (${o.tls === undefined ? 'no tls given' : 'tls given'})`);
    }
  }
}

/** etcd's flags for mutual TLS with clients and peers, from one certificate, key and CA. */
function tlsArgs(tls: TlsFiles): string[] {
  return [
    '--cert-file', tls.certFile, '--key-file', tls.keyFile, '--client-cert-auth', '--trusted-ca-file', tls.caFile,
    '--peer-cert-file', tls.certFile, '--peer-key-file', tls.keyFile, '--peer-client-cert-auth', '--peer-trusted-ca-file', tls.caFile,
  ];
}

/**
 * `GET <url>` with the member's own certificate as the client certificate (node:https: fetch
 * cannot send one). The server must chain to the CA; its name is not compared with the host.
 */
async function healthOverTls(url: string, tls: TlsFiles, signal: AbortSignal): Promise<boolean> {
  const [ca, cert, key] = await Promise.all([readFile(tls.caFile), readFile(tls.certFile), readFile(tls.keyFile)]);
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ca, cert, key, signal, checkServerIdentity: () => undefined }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('error', reject);
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 && (JSON.parse(text) as { health?: unknown }).health === 'true');
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    request.on('error', reject);
  });
}
