/**
 * A manager's call for what a node's tasks use (the `task-usage` route every member serves), for
 * the autoscaler: one JSON answer, checked at the boundary.
 */
import { Agent } from 'node:https';
import { clientTlsOptions, type NodeTlsMaterial } from '../trust/index.js';
import type { TaskUsage } from '../scheduler/autoscale.js';
import { callClusterPort } from './cluster-port-call.js';
import { CLUSTER_ROUTES } from './protocol.js';
import { parseWith, taskUsageAnswerSchema } from './protocol-schemas.js';

export class TaskUsageClient {
  readonly #agent: Agent;

  constructor(tls: NodeTlsMaterial) {
    this.#agent = new Agent({ keepAlive: true, ...clientTlsOptions(tls) });
  }

  /** The usage of the running tasks of the node at `addr` (`ip:port` of its cluster port); rejects as `callClusterPort`. */
  async usage(addr: string): Promise<TaskUsage[]> {
    const answer = await callClusterPort(addr, { method: 'GET', path: CLUSTER_ROUTES.taskUsage, tls: { agent: this.#agent } });
    return parseWith(taskUsageAnswerSchema, answer, 'the task-usage answer', 'invalid-answer').usage;
  }

  close(): void {
    this.#agent.destroy();
  }
}
