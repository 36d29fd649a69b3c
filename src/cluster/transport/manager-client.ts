/**
 * The node's link to the managers (agent-ports.ts ManagerLink) over the cluster port's mutual TLS.
 * Each call goes to the manager that answered last, then to the others in list order; a manager
 * that cannot be reached (or says it cannot serve: unavailable) passes the call to the next one.
 */
import { Agent } from 'node:https';
import { BerthError, isBerthError } from '../../base/errors.js';
import { clientTlsOptions, type NodeTlsMaterial } from '../trust/index.js';
import type { Assignments, ManagerLink, TaskStatusReport } from '../agent/agent-ports.js';
import { callClusterPort, LONG_POLL_IDLE_TIMEOUT_MS, type ClusterPortCall } from './cluster-port-call.js';
import { CLUSTER_ROUTES, type HeartbeatAnswer, type RoleAnswer, type RoleCall } from './protocol.js';
import { assignmentsSchema, heartbeatAnswerSchema, parseWith, roleAnswerSchema } from './protocol-schemas.js';

/**
 * How long a heartbeat may wait for a manager before it is tried on the next one: well within the
 * lease (15 s), so that one stalled manager does not cost the node its lease.
 */
export const HEARTBEAT_CALL_TIMEOUT_MS = 2_000;

/** Whether a failed call should be tried on the next manager. */
function tryNext(err: unknown): boolean {
  return isBerthError(err, 'unavailable') || (isBerthError(err) && err.reason === 'manager-certificate-untrusted');
}

export class ManagerClient implements ManagerLink {
  private readonly agent: Agent;
  private managers: readonly string[];
  private lastGood: string | undefined;

  /** `managers`: `ip:port` of each manager's cluster port. */
  constructor(tls: NodeTlsMaterial, managers: readonly string[]) {
    this.agent = new Agent({ keepAlive: true, ...clientTlsOptions(tls) });
    this.managers = [...managers];
  }

  /** Replaces the list of managers (as the cluster tells it); calls in flight finish on the old one. */
  setManagers(managers: readonly string[]): void {
    this.managers = [...managers];
  }

  async assignments(sinceRevision: number, signal: AbortSignal): Promise<Assignments> {
    const answer = await this.call({ method: 'GET', path: `${CLUSTER_ROUTES.assignments}?since=${sinceRevision}`, signal, idleTimeoutMs: LONG_POLL_IDLE_TIMEOUT_MS });
    return parseWith(assignmentsSchema, answer, 'the assignments answer', 'invalid-answer');
  }

  async report(reports: readonly TaskStatusReport[]): Promise<void> {
    await this.call({ method: 'POST', path: CLUSTER_ROUTES.status, body: { reports } });
  }

  /** With `transition`, a lease long enough for the node to restart its parts in another role. */
  async heartbeat(transition = false): Promise<HeartbeatAnswer> {
    const path = transition ? `${CLUSTER_ROUTES.heartbeat}?transition=1` : CLUSTER_ROUTES.heartbeat;
    const answer = await this.call({ method: 'POST', path, idleTimeoutMs: HEARTBEAT_CALL_TIMEOUT_MS });
    return parseWith(heartbeatAnswerSchema, answer, 'the heartbeat answer', 'invalid-answer');
  }

  /** Asks for the certificate (and etcd membership) of the role the node's spec now asks for. */
  async changeRole(call: RoleCall): Promise<RoleAnswer> {
    const answer = await this.call({ method: 'POST', path: CLUSTER_ROUTES.role, body: call, idleTimeoutMs: LONG_POLL_IDLE_TIMEOUT_MS });
    const { etcd, ...rest } = parseWith(roleAnswerSchema, answer, 'the role answer', 'invalid-answer');
    return etcd === undefined ? rest : { ...rest, etcd };
  }

  /** Ends the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** The call on each manager in turn until one answers; unavailable `managers-unreachable` when none does. */
  private async call(call: Omit<ClusterPortCall, 'tls'>): Promise<unknown> {
    const last = this.lastGood;
    const order = last !== undefined && this.managers.includes(last) ? [last, ...this.managers.filter((addr) => addr !== last)] : this.managers;
    const failures: string[] = [];
    let lastError: unknown;
    for (const addr of order) {
      try {
        const answer = await callClusterPort(addr, { ...call, tls: { agent: this.agent } });
        this.lastGood = addr;
        return answer;
      } catch (err) {
        if (!tryNext(err)) throw err;
        lastError = err;
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    const tried = order.length === 0 ? 'no manager is known' : failures.join('; ');
    throw new BerthError('unavailable', 'managers-unreachable', `no manager of the cluster answered ${call.path.split('?')[0] ?? ''}: ${tried}`, { cause: lastError });
  }
}
