/**
 * `service logs` and `task logs` on a manager: the log of each task's container is read from the
 * node that runs it (its cluster port's `task-logs` route) and the streams are merged line by line,
 * each line tagged with its node, service and task (what Swarm's log details carry). A node that
 * cannot be read is reported once, after the lines of the others.
 */
import { BerthError, isBerthError, messageOf } from '../../base/errors.js';
import { StdioFrameReader } from '../../stdio/stdio-frames.js';
import { nodeSchema, type Node } from '../objects/node.js';
import { decodeObject } from '../objects/stored-object.js';
import { taskSchema, type Task } from '../objects/task.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { CLUSTER_PORT, type TaskLog, type TaskLogQuery } from '../transport/protocol.js';

export interface ClusterLogLine {
  /** `error`: a task whose log could not be read (the payload says why). */
  readonly stream: 'stdout' | 'stderr' | 'error';
  readonly nodeId: string;
  readonly serviceId: string;
  readonly taskId: string;
  /** One line as the node's engine sent it: `<RFC 3339 time> ` first when asked, the newline kept. */
  readonly payload: Buffer;
}

/** Opens the log of `taskId` on the node at `addr` (`ip:port` of its cluster port). */
export type OpenTaskLog = (addr: string, taskId: string, query: TaskLogQuery, signal: AbortSignal) => Promise<TaskLog>;

/** The address of the node's cluster port. */
export function clusterPortOf(node: Node): string {
  return node.portAddr ?? `${node.status.addr}:${CLUSTER_PORT}`;
}

/** How many lines wait for the reader before the node streams are paused. */
const QUEUE_LIMIT = 256;

/** Lines from several producers to one reader, with backpressure. */
class LineQueue {
  readonly #lines: ClusterLogLine[] = [];
  #wakeReader: (() => void) | undefined;
  #wakeProducers: (() => void)[] = [];

  async push(line: ClusterLogLine): Promise<void> {
    this.#lines.push(line);
    this.#wakeReader?.();
    if (this.#lines.length >= QUEUE_LIMIT) await new Promise<void>((resolve) => { this.#wakeProducers.push(resolve); });
  }

  async *drain(done: Promise<void>): AsyncGenerator<ClusterLogLine> {
    const producers = { finished: false };
    void done.then(() => { producers.finished = true; this.#wakeReader?.(); });
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) {
        if (this.#lines.length < QUEUE_LIMIT) for (const wake of this.#wakeProducers.splice(0)) wake();
        yield line;
        continue;
      }
      if (producers.finished) return;
      await new Promise<void>((resolve) => { this.#wakeReader = resolve; });
      this.#wakeReader = undefined;
    }
  }
}

/** Splits a node's stream into lines (frames of a multiplexed stream; raw bytes of a TTY). */
async function pumpLines(log: TaskLog, emit: (stream: 'stdout' | 'stderr', payload: Buffer) => Promise<void>): Promise<void> {
  const frames = new StdioFrameReader();
  const partial = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  const split = async (stream: 'stdout' | 'stderr', bytes: Buffer): Promise<void> => {
    let rest = Buffer.concat([partial[stream], bytes]);
    for (let end = rest.indexOf(0x0a); end >= 0; end = rest.indexOf(0x0a)) {
      await emit(stream, rest.subarray(0, end + 1));
      rest = rest.subarray(end + 1);
    }
    partial[stream] = rest;
  };
  for await (const chunk of log.body) {
    if (log.tty) {
      await split('stdout', chunk);
      continue;
    }
    for (const frame of frames.push(chunk)) {
      if (frame.stream === 'systemerr') throw new BerthError('unavailable', 'node-log-error', frame.payload.toString('utf8').trim());
      await split(frame.stream === 'stderr' ? 'stderr' : 'stdout', frame.payload);
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) if (partial[stream].length > 0) await emit(stream, partial[stream]);
}

/** A task that started while the logs were followed, with its node when the caller knows it. */
export interface LaterTask {
  readonly task: Task;
  readonly node?: Node | undefined;
}

/**
 * The merged log of `tasks` (those placed and started: a node and a container). Tasks whose
 * container is gone from their node are left out. Without `follow` the iterable ends when every
 * task's stream ended; with it, `later` (tasks of the service that start meanwhile, e.g. the
 * replacement of one that failed) joins the merge as they come, and it ends when `signal` aborts
 * (as `docker service logs -f`), or when every stream ended and there is no `later`.
 */
export async function* gatherTaskLogs(
  tasks: readonly Task[], nodes: readonly Node[], open: OpenTaskLog, query: TaskLogQuery, signal: AbortSignal, later?: AsyncIterable<LaterTask>,
): AsyncGenerator<ClusterLogLine> {
  const queue = new LineQueue();
  const failures: ClusterLogLine[] = [];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set<string>();
  const pumps: Promise<void>[] = [];
  const pump = async (task: Task): Promise<void> => {
    const nodeId = task.nodeId ?? '';
    const tag = { nodeId, serviceId: task.serviceId, taskId: task.id };
    try {
      const node = byId.get(nodeId);
      if (node === undefined) throw new BerthError('not-found', 'node-not-found', `node ${nodeId} is no longer in the cluster`);
      const log = await open(clusterPortOf(node), task.id, query, signal);
      await pumpLines(log, (stream, payload) => queue.push({ ...tag, stream, payload }));
    } catch (err) {
      if (signal.aborted || (isBerthError(err) && err.reason === 'task-container-not-found')) return;
      failures.push({ ...tag, stream: 'error', payload: Buffer.from(`Error grabbing logs of task ${task.id}: ${messageOf(err)}\n`) });
    }
  };
  const start = (task: Task): void => {
    if (task.nodeId === undefined || task.status.containerId === undefined || seen.has(task.id)) return;
    seen.add(task.id);
    pumps.push(pump(task));
  };
  for (const task of tasks) start(task);
  const following = query.follow && later !== undefined ? (async () => {
    try {
      for await (const { task, node } of later) {
        if (node !== undefined) byId.set(node.id, node);
        start(task);
      }
    } catch (err) {
      if (!signal.aborted) failures.push({ nodeId: '', serviceId: '', taskId: '', stream: 'error', payload: Buffer.from(`Error following new tasks: ${messageOf(err)}\n`) });
    }
  })() : Promise.resolve();
  // Once `later` ended no pump starts any more.
  const done = following.then(async () => { await Promise.all(pumps); });
  yield* queue.drain(done);
  yield* failures;
}

/**
 * The tasks of `serviceId` that get a container after `revision` (a store watch), each with its
 * node as the store has it, until `signal` aborts: what `service logs -f` adds as they start.
 */
export async function* startedTasks(store: ClusterStore, serviceId: string, revision: number, signal: AbortSignal, log: (message: string) => void): AsyncGenerator<LaterTask> {
  for await (const event of store.watch({ kind: 'task', fromRevision: revision + 1, signal })) {
    if (event.type !== 'put') continue;
    const task = decodeObject(taskSchema, { kind: 'task', id: event.id, value: event.value ?? null, version: event.revision }, log);
    if (task?.serviceId !== serviceId || task.nodeId === undefined || task.status.containerId === undefined) continue;
    const stored = await store.get('node', task.nodeId);
    yield { task, node: stored === undefined ? undefined : decodeObject(nodeSchema, stored, log) };
  }
}
