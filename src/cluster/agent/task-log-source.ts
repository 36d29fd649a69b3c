/**
 * A node's answer to a manager's `task-logs` call: the log of the task's container, read from this
 * node's engine through berthd's API (client/) and passed on as the engine streams it.
 */
import { errors } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import { RAW_STREAM } from '../../client/stdio-output.js';
import type { NodeBackend, TaskLog, TaskLogQuery } from '../transport/protocol.js';
import { TASK_ID_LABEL } from './task-container-config.js';

export class TaskLogSource implements Pick<NodeBackend, 'taskLogs'> {
  constructor(private readonly client: BerthClient) {}

  async taskLogs(taskId: string, query: TaskLogQuery, signal: AbortSignal): Promise<TaskLog> {
    const [container] = await this.client.containers.list({ all: true, filters: { label: [`${TASK_ID_LABEL}=${taskId}`] } });
    if (container === undefined) throw errors.notFound('task-container-not-found', `task ${taskId} has no container on this node`);
    const response = await this.client.containers.logs(container.Id, {
      follow: query.follow, timestamps: query.timestamps, stdout: query.stdout, stderr: query.stderr,
      ...(query.tail === undefined ? {} : { tail: String(query.tail) }),
      ...(query.since === undefined ? {} : { since: query.since }),
    }, signal);
    return { tty: response.headers['content-type'] === RAW_STREAM, body: response };
  }
}
