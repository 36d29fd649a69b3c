/**
 * A manager's call for one task's log on the node that runs it (the `task-logs` route every member
 * serves): the answer is a stream, read as it comes (with `follow` until the container stops or the
 * caller aborts).
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { BerthError, errnoCode, messageOf } from '../../base/errors.js';
import { clientTlsOptions, type NodeTlsMaterial } from '../trust/index.js';
import { RAW_STREAM } from '../../client/stdio-output.js';
import { CALL_IDLE_TIMEOUT_MS, parseManagerAddress } from './cluster-port-call.js';
import { errorFromAnswer } from './error-answers.js';
import { CLUSTER_ROUTES, type TaskLog, type TaskLogQuery } from './protocol.js';

/** The path and query of a task-logs call. */
export function taskLogPath(taskId: string, query: TaskLogQuery): string {
  const params = new URLSearchParams({ task: taskId });
  for (const flag of ['follow', 'timestamps', 'stdout', 'stderr'] as const) params.set(flag, query[flag] ? '1' : '0');
  if (query.tail !== undefined) params.set('tail', String(query.tail));
  if (query.since !== undefined) params.set('since', query.since);
  return `${CLUSTER_ROUTES.taskLogs}?${params.toString()}`;
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class TaskLogClient {
  readonly #agent: Agent;

  constructor(tls: NodeTlsMaterial) {
    this.#agent = new Agent({ keepAlive: true, ...clientTlsOptions(tls) });
  }

  /**
   * Opens the log of `taskId` on the node at `addr` (`ip:port` of its cluster port). Rejects with the
   * node's BerthError (not-found `task-container-not-found`…), unavailable `node-unreachable`, or
   * canceled when `signal` aborts. A stall before the answer starts counts as unreachable; once it
   * streams, a quiet log may stay quiet.
   */
  open(addr: string, taskId: string, query: TaskLogQuery, signal: AbortSignal): Promise<TaskLog> {
    const { host, port } = parseManagerAddress(addr);
    const path = taskLogPath(taskId, query);
    return new Promise((resolve, reject) => {
      const fail = (err: unknown): void => {
        if (err instanceof BerthError) reject(err);
        else if (signal.aborted) reject(new BerthError('canceled', 'request-canceled', `reading the log of task ${taskId} was canceled`, { cause: err }));
        else reject(new BerthError('unavailable', 'node-unreachable', `cannot read the log of task ${taskId} from its node at ${addr}: ${errnoCode(err) ?? messageOf(err)}`, { cause: err }));
      };
      const req = request({ host, port, method: 'GET', path, agent: this.#agent, signal }, (res) => {
        req.setTimeout(0);
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          readText(res).then((text) => { reject(errorFromAnswer(status, text, `the log of task ${taskId} at ${addr}`)); }, fail);
          return;
        }
        resolve({ tty: res.headers['content-type'] === RAW_STREAM, body: res });
      });
      req.setTimeout(CALL_IDLE_TIMEOUT_MS, () => {
        req.destroy(new BerthError('unavailable', 'node-unreachable', `the node at ${addr} did not answer for the log of task ${taskId} in time`));
      });
      req.once('error', fail);
      req.end();
    });
  }

  /** Ends the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}
