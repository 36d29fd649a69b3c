/**
 * `service logs SERVICE|TASK`: the logs of a service's tasks (or of one task) as the manager
 * gathers them from the nodes, each line prefixed as the docker CLI does: `name.slot.task@node | `.
 * The manager's lines carry their node, service and task ids in Docker's log details; they are
 * resolved to names once each.
 */
import { errors, isBerthError } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import { StdioFrameReader } from '../../stdio/stdio-frames.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { withClient } from '../context.js';
import { apiTime } from '../time-arg.js';
import { slotCount } from './service-job-mode.js';

export interface ServiceLogsFlags {
  follow?: boolean;
  tail?: string;
  since?: string;
  timestamps?: boolean;
  /** Commander's `--no-task-ids`. */
  taskIds?: boolean;
  /** Commander's `--no-trunc`. */
  trunc?: boolean;
  /** Commander's `--no-resolve`. */
  resolve?: boolean;
  raw?: boolean;
}

/** Log details (`k=v,k=v`, query-escaped) as a map. */
export function parseLogDetails(text: string): Map<string, string> {
  const details = new Map<string, string>();
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw errors.invalidArgument('invalid-log-details', `log details "${text}" are not key=value pairs`);
    details.set(decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1)));
  }
  return details;
}

/** Splits one line of the manager's stream into its timestamp (when asked), details and message. */
export function splitLogLine(payload: string, timestamps: boolean): { timestamp: string; details: Map<string, string>; message: string } {
  const parts = payload.split(' ');
  const timestamp = timestamps ? parts.shift() ?? '' : '';
  const details = parts.shift() ?? '';
  return { timestamp, details: parseLogDetails(details), message: parts.join(' ') };
}

/** Resolves the ids of a line to the docker CLI's prefix, caching each. */
class Prefixes {
  readonly #cache = new Map<string, Promise<string>>();

  constructor(private readonly client: BerthClient, private readonly flags: ServiceLogsFlags, private readonly padding: number) {}

  of(details: Map<string, string>): Promise<string> {
    const nodeId = details.get('com.docker.swarm.node.id') ?? '';
    const serviceId = details.get('com.docker.swarm.service.id') ?? '';
    const taskId = details.get('com.docker.swarm.task.id') ?? '';
    const key = `${nodeId}/${serviceId}/${taskId}`;
    let prefix = this.#cache.get(key);
    if (prefix === undefined) {
      prefix = this.#resolve(nodeId, serviceId, taskId);
      this.#cache.set(key, prefix);
    }
    return prefix;
  }

  async #resolve(nodeId: string, serviceId: string, taskId: string): Promise<string> {
    const resolve = this.flags.resolve !== false;
    const [node, service, task] = await Promise.all([
      // An object that cannot be read (removed meanwhile, say) still gives a prefix: its id instead
      // of its name, no slot for a task. A prefix is no reason to stop the logs.
      resolve ? this.client.cluster.inspectNode(nodeId).then((n) => n.Description.Hostname, () => nodeId) : nodeId,
      resolve ? this.client.cluster.inspectService(serviceId).then((s) => s.Spec.Name, () => serviceId) : serviceId,
      this.client.cluster.inspectTask(taskId).catch(() => undefined),
    ]);
    const slot = task?.Slot ?? 0;
    let name = `${service}.${slot}`;
    if (this.flags.taskIds !== false) name += `.${this.flags.trunc === false ? taskId : taskId.slice(0, 12)}`;
    return `${name}@${node}${' '.repeat(Math.max(0, this.padding - String(slot).length))}`;
  }
}

/** The service, else the task, `target` names (as the docker CLI looks it up), and the prefix padding. */
async function lookUp(client: BerthClient, target: string): Promise<{ task: boolean; padding: number }> {
  try {
    const { Spec: spec } = await client.cluster.inspectService(target);
    return { task: false, padding: String(slotCount(spec.Mode) ?? 0).length };
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err;
  }
  try {
    const task = await client.cluster.inspectTask(target);
    return { task: true, padding: String(task.Slot ?? 0).length };
  } catch (err) {
    if (isBerthError(err, 'not-found')) throw errors.notFound('no-such-task-or-service', `no such task or service: ${target}`);
    throw err;
  }
}

export async function serviceLogsAction(globals: GlobalOptions, target: string, flags: ServiceLogsFlags): Promise<void> {
  const since = flags.since === undefined ? undefined : apiTime(flags.since, new Date(), '--since');
  const timestamps = flags.timestamps === true;
  await withClient(globals, async (client) => {
    const found = await lookUp(client, target);
    const response = await client.cluster.logs(target, {
      task: found.task, follow: flags.follow === true, timestamps,
      ...(flags.tail === undefined ? {} : { tail: flags.tail }),
      ...(since === undefined ? {} : { since }),
    });
    const prefixes = new Prefixes(client, flags, found.padding);
    const reader = new StdioFrameReader();
    for await (const chunk of response as AsyncIterable<Buffer>) {
      for (const frame of reader.push(chunk)) {
        const text = frame.payload.toString('utf8');
        if (frame.stream === 'systemerr') throw errors.unavailable('daemon-stream-error', `error from daemon in stream: ${text.trim()}`);
        const line = splitLogLine(text, timestamps);
        const prefix = flags.raw === true ? '' : `${await prefixes.of(line.details)}    | `;
        (frame.stream === 'stderr' ? process.stderr : process.stdout).write(`${line.timestamp === '' ? '' : `${line.timestamp} `}${prefix}${line.message}`);
      }
    }
  });
}
