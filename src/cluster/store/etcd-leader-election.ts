/**
 * Leader election on an etcd lease (the recipe of etcd's own concurrency package): each
 * candidate puts `<prefix><name>/<lease id>` with its lease; the candidate whose key has the
 * lowest create revision leads; the others wait for the key just before theirs to go.
 *
 * Timing: the lease has `ttlSeconds` (default 5); a keepalive goes every third of it. The holder
 * counts its own deadline from the moment it SENT the last keepalive that etcd answered
 * (`sent + ttl - safetyMargin`): etcd cannot expire the lease before that moment, so when the
 * keepalives stop getting through, the holder's leadership signal aborts before etcd lets the
 * next candidate win. Fencing covers what timing cannot: a leader-only write carries the
 * leadership's fence (its key's create revision), which fails once the key is gone.
 */
import { type Etcd3, type Lease } from 'etcd3';
import { BerthError, errors } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import type { LeaderFence } from './cluster-store.js';
import { storeError } from './etcd-cluster-store.js';

const log = componentLogger('cluster');

export const DEFAULT_ELECTION_PREFIX = '/berth-election/';

export interface LeaderElectionOptions {
  /** Lease time to live in seconds (default 5; etcd's minimum is about 2). */
  ttlSeconds?: number;
  /** Time kept in hand before the lease could expire (default 500 ms). */
  safetyMarginMs?: number;
  /** Key prefix of elections (default `/berth-election/`). */
  prefix?: string;
}

/** One won election. `signal` aborts when it ends: resigned, lease lost or etcd out of reach. */
export interface Leadership {
  readonly name: string;
  readonly value: string;
  readonly fence: LeaderFence;
  readonly signal: AbortSignal;
}

/**
 * A candidacy. `elected` resolves once this candidate leads (the same Leadership on every call);
 * it rejects with canceled (`campaign-resigned`) after `resign`, or unavailable
 * (`leadership-lease-lost`) when the lease is lost before winning. A candidacy is used once:
 * after its leadership ends, campaign again. `resign` is idempotent and revokes the lease, which
 * hands leadership on at once.
 */
export interface LeaderCampaign {
  elected(): Promise<Leadership>;
  resign(): Promise<void>;
}

export class EtcdLeaderElection {
  readonly #ttl: number;
  readonly #margin: number;
  readonly #prefix: string;

  constructor(private readonly client: Etcd3, options: LeaderElectionOptions = {}) {
    this.#ttl = options.ttlSeconds ?? 5;
    this.#margin = options.safetyMarginMs ?? 500;
    this.#prefix = options.prefix ?? DEFAULT_ELECTION_PREFIX;
    if (!Number.isInteger(this.#ttl) || this.#ttl < 2) throw errors.invalidArgument('invalid-lease-ttl', `lease TTL ${this.#ttl}: use a whole number of seconds, at least 2`);
  }

  /** The current leader's value, or undefined when nobody leads. */
  async leader(name: string): Promise<string | undefined> {
    const response = await this.client.getAll().prefix(`${this.#prefix}${name}/`).sort('Create', 'Ascend').limit(1).exec()
      .catch((err: unknown) => { throw storeError(err, `leader of ${name}`); });
    return response.kvs[0]?.value.toString();
  }

  campaign(name: string, value: string): LeaderCampaign {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw errors.invalidArgument('invalid-election-name', `election name ${JSON.stringify(name)}: use lowercase letters, digits and '-'`);
    return new EtcdCampaign(this.client, `${this.#prefix}${name}/`, name, value, this.#ttl, this.#margin);
  }
}

class EtcdCampaign implements LeaderCampaign {
  readonly #ended = new AbortController();
  readonly #lease: Lease;
  readonly #result: Promise<Leadership>;
  #keepalive: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #endReason: Error | undefined;

  constructor(private readonly client: Etcd3, private readonly dir: string, private readonly name: string, private readonly value: string,
    private readonly ttl: number, private readonly margin: number) {
    this.#lease = client.lease(ttl, { autoKeepAlive: false });
    this.#lease.on('lost', (err: Error) => { this.#end(errors.unavailable('leadership-lease-lost', `election ${name}: lease lost: ${err.message}`, { cause: err })); });
    this.#result = this.#run();
    this.#result.catch((err: unknown) => { this.#end(err instanceof Error ? err : new Error(String(err))); });
  }

  elected(): Promise<Leadership> {
    return this.#result;
  }

  async resign(): Promise<void> {
    this.#end(new BerthError('canceled', 'campaign-resigned', `election ${this.name}: resigned`));
    await this.#lease.revoke().catch((err: unknown) => {
      // The lease then expires by itself within its TTL; nobody can be misled in between, as
      // this holder has stopped and its fence stays valid only for writes it no longer makes.
      throw storeError(err, `election ${this.name}: revoke`);
    });
  }

  async #run(): Promise<Leadership> {
    const grantSent = Date.now();
    const leaseId = await this.#lease.grant().catch((err: unknown) => { throw storeError(err, `election ${this.name}: lease`); });
    this.#armWatchdog(grantSent);
    this.#keepalive = setInterval(() => { this.#renew(); }, (this.ttl * 1000) / 3);
    const key = `${this.dir}${leaseId}`;
    const txn = await this.client.if(key, 'Create', '==', 0)
      .then(this.client.put(key).value(this.value).lease(leaseId))
      .else(this.client.get(key))
      .commit().catch((err: unknown) => { throw this.#fail(err); });
    const createRevision = txn.succeeded
      ? Number(txn.header.revision)
      : Number(txn.responses[0]?.response_range.kvs[0]?.create_revision ?? 0);
    for (;;) {
      this.#check();
      const before = await this.client.getAll().prefix(this.dir).maxCreateRevision(String(createRevision - 1))
        .sort('Create', 'Descend').limit(1).exec().catch((err: unknown) => { throw this.#fail(err); });
      const ahead = before.kvs[0];
      if (ahead === undefined) break;
      await this.#waitForDelete(ahead.key.toString(), Number(before.header.revision) + 1);
    }
    this.#check();
    return { name: this.name, value: this.value, fence: { key, createRevision }, signal: this.#ended.signal };
  }

  /** Waits until `key` is deleted (from `fromRevision` on) or the campaign ends. */
  async #waitForDelete(key: string, fromRevision: number): Promise<void> {
    const watcher = await this.client.watch().key(key).startRevision(String(fromRevision)).create()
      .catch((err: unknown) => { throw this.#fail(err); });
    try {
      await new Promise<void>((resolve, reject) => {
        watcher.on('delete', () => { resolve(); });
        watcher.on('error', (err) => { reject(this.#fail(err)); });
        const onEnd = (): void => { reject(this.#endReason ?? new BerthError('canceled', 'campaign-ended', `election ${this.name}: ended`)); };
        if (this.#ended.signal.aborted) onEnd();
        this.#ended.signal.addEventListener('abort', onEnd, { once: true });
      });
    } finally {
      // Not awaited: the wait is over either way. A failed cancel leaves a watch that etcd ends
      // with the connection; it is logged.
      void watcher.cancel().catch(warnOnFailure(log, `election ${this.name}: canceling the watch of ${key}`));
    }
  }

  #renew(): void {
    const sent = Date.now();
    this.#lease.keepaliveOnce().then((res) => {
      if (this.#ended.signal.aborted) return;
      if (Number(res.TTL) <= 0) this.#end(errors.unavailable('leadership-lease-lost', `election ${this.name}: lease expired`));
      else this.#armWatchdog(sent);
    }, () => {
      // Unanswered keepalives change nothing: the watchdog ends leadership when time is up.
    });
  }

  /** Ends the campaign at `sent + ttl - margin` unless a later keepalive re-arms it. */
  #armWatchdog(sent: number): void {
    clearTimeout(this.#watchdog);
    const at = sent + this.ttl * 1000 - this.margin;
    this.#watchdog = setTimeout(() => {
      this.#end(errors.unavailable('leadership-lease-lost', `election ${this.name}: no keepalive answered within the lease TTL (${this.ttl} s)`));
    }, Math.max(0, at - Date.now()));
  }

  #end(reason: Error): void {
    if (this.#ended.signal.aborted) return;
    this.#endReason = reason;
    clearInterval(this.#keepalive);
    clearTimeout(this.#watchdog);
    this.#ended.abort(reason);
    this.#lease.release();
  }

  #check(): void {
    if (this.#ended.signal.aborted) throw this.#endReason ?? new BerthError('canceled', 'campaign-ended', `election ${this.name}: ended`);
  }

  #fail(err: unknown): Error {
    if (this.#ended.signal.aborted && this.#endReason !== undefined) return this.#endReason;
    return storeError(err, `election ${this.name}`);
  }
}
