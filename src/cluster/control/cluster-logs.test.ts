import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../../base/errors.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import { makeNode, makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import type { Task } from '../objects/task.js';
import type { TaskLog, TaskLogQuery } from '../transport/protocol.js';
import { clusterPortOf, gatherTaskLogs, type ClusterLogLine, type LaterTask, type OpenTaskLog } from './cluster-logs.js';

const QUERY: TaskLogQuery = { follow: false, timestamps: false, stdout: true, stderr: true };
const service = makeService('web');

function started(task: Task, containerId: string): Task {
  return { ...task, status: { ...task.status, containerId } };
}

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield await Promise.resolve(part);
}

async function collect(lines: AsyncIterable<ClusterLogLine>): Promise<string[]> {
  const seen: string[] = [];
  for await (const line of lines) seen.push(`${line.taskId}@${line.nodeId} ${line.stream} ${line.payload.toString()}`);
  return seen;
}

test('merges the tasks\' logs line by line, each line tagged with its node, service and task', async () => {
  const nodes = [makeNode('n1'), { ...makeNode('n2'), portAddr: '10.0.0.2:2400' }];
  const tasks = [started(makeTask('t1', service, { nodeId: 'n1', slot: 1 }), 'c1'), started(makeTask('t2', service, { nodeId: 'n2', slot: 2 }), 'c2')];
  const opened: string[] = [];
  const logs: Record<string, TaskLog> = {
    // A line split over frames and chunks, and stderr between.
    t1: { tty: false, body: chunks(Buffer.concat([stdioFrame('stdout', Buffer.from('one ')), stdioFrame('stderr', Buffer.from('oops\n'))]).subarray(0, 10), Buffer.concat([stdioFrame('stdout', Buffer.from('one ')), stdioFrame('stderr', Buffer.from('oops\n'))]).subarray(10), stdioFrame('stdout', Buffer.from('two\nthree'))) },
    // A TTY: raw bytes.
    t2: { tty: true, body: chunks(Buffer.from('a\nb'), Buffer.from('\n')) },
  };
  const open: OpenTaskLog = (addr, taskId) => {
    opened.push(`${taskId}→${addr}`);
    const log = logs[taskId];
    return log === undefined ? Promise.reject(new Error('unexpected')) : Promise.resolve(log);
  };
  const lines = await collect(gatherTaskLogs(tasks, nodes, open, QUERY, new AbortController().signal));
  assert.deepEqual(opened.sort(), ['t1→10.0.0.1:2377', 't2→10.0.0.2:2400']);
  assert.deepEqual(lines.filter((l) => l.startsWith('t1')), ['t1@n1 stderr oops\n', 't1@n1 stdout one two\n', 't1@n1 stdout three']);
  assert.deepEqual(lines.filter((l) => l.startsWith('t2')), ['t2@n2 stdout a\n', 't2@n2 stdout b\n']);
});

test('leaves out tasks never started and containers gone; reports an unreadable node after the rest', async () => {
  const nodes = [makeNode('n1'), makeNode('n2')];
  const tasks = [
    makeTask('pending', service),
    started(makeTask('gone', service, { nodeId: 'n1' }), 'c1'),
    started(makeTask('cut', service, { nodeId: 'n2' }), 'c2'),
    started(makeTask('left', service, { nodeId: 'n3' }), 'c3'),
    started(makeTask('fine', service, { nodeId: 'n1' }), 'c4'),
  ];
  const open: OpenTaskLog = (_addr, taskId) => {
    if (taskId === 'gone') return Promise.reject(new BerthError('not-found', 'task-container-not-found', 'no container'));
    if (taskId === 'cut') return Promise.reject(new BerthError('unavailable', 'node-unreachable', 'cannot reach 10.0.0.1'));
    return Promise.resolve({ tty: false, body: chunks(stdioFrame('stdout', Buffer.from('ok\n'))) });
  };
  const lines = await collect(gatherTaskLogs(tasks, nodes, open, QUERY, new AbortController().signal));
  assert.equal(lines[0], 'fine@n1 stdout ok\n');
  assert.deepEqual(lines.slice(1).sort(), [
    'cut@n2 error Error grabbing logs of task cut: cannot reach 10.0.0.1\n',
    'left@n3 error Error grabbing logs of task left: node n3 is no longer in the cluster\n',
  ]);
});

test('a node recorded without its port is reached at its address on the default port', () => {
  assert.equal(clusterPortOf(makeNode('n1')), '10.0.0.1:2377');
});

test('following, tasks that start later join the merge (once each, and only once started); it ends when the signal aborts', async () => {
  const nodes = [makeNode('n1')];
  const first = started(makeTask('t1', service, { nodeId: 'n1', slot: 1 }), 'c1');
  const lines = new Map<string, (line: string) => void>();
  const ends: (() => void)[] = [];
  const open: OpenTaskLog = (_addr, taskId, _query, signal) => Promise.resolve({
    tty: true,
    body: (async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${taskId} up\n`);
      const next = await new Promise<string | undefined>((resolve) => {
        lines.set(taskId, resolve);
        ends.push(() => { resolve(undefined); });
        signal.addEventListener('abort', () => { resolve(undefined); });
      });
      if (next !== undefined) yield Buffer.from(next);
    })(),
  });
  let announce: ((task: Task) => void) | undefined;
  const controller = new AbortController();
  const later = (async function* laterTasks(): AsyncGenerator<LaterTask> {
    for (;;) {
      const task = await new Promise<Task | undefined>((resolve) => {
        announce = resolve;
        controller.signal.addEventListener('abort', () => { resolve(undefined); });
      });
      if (task === undefined) return;
      yield { task, node: task.nodeId === 'n2' ? { ...makeNode('n2'), portAddr: '10.0.0.9:2377' } : undefined };
    }
  })();
  const seen: string[] = [];
  const reading = (async () => {
    for await (const line of gatherTaskLogs([first], nodes, open, { ...QUERY, follow: true }, controller.signal, later)) {
      seen.push(`${line.taskId}@${line.nodeId} ${line.payload.toString()}`);
      if (seen.length === 1) {
        announce?.(makeTask('t2', service, { nodeId: 'n2', slot: 2 })); // not started: left out
      }
    }
  })();
  const until = async (count: number): Promise<void> => { while (seen.length < count) await new Promise((r) => setTimeout(r, 1)); };
  await until(1);
  announce?.(started(makeTask('t2', service, { nodeId: 'n2', slot: 2 }), 'c2'));
  await until(2);
  announce?.(started(makeTask('t2', service, { nodeId: 'n2', slot: 2 }), 'c2')); // again: ignored
  lines.get('t2')?.('t2 more\n');
  await until(3);
  controller.abort();
  await reading;
  assert.deepEqual(seen, ['t1@n1 t1 up\n', 't2@n2 t2 up\n', 't2@n2 t2 more\n']);
});
