// A `node_down` alert rule on a cluster manager: two berthds on this machine (their cluster ports
// and the manager's etcd on loopback addresses no other test uses) form a cluster; the worker's
// berthd is killed, the manager declares it down once its heartbeats stop, and the webhook
// receiver on loopback gets one firing notification naming the node; the worker's berthd started
// again rejoins, and the receiver gets the resolution. Needs root and /usr/bin/etcd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthClient } from '../../../src/client/berth-client.js';
import { berthAt, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { eventually, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { freePort } from '../metrics/metrics-fixtures.js';
import { Receiver } from './webhook-receiver.js';

const ETCD = '/usr/bin/etcd';
const skip = needsRoot() || (existsSync(ETCD) ? false : `${ETCD} is not installed (the cluster manager's store)`);

/** Heartbeats stop counting after 15 s (Swarm's default); this bound only ends a run that is stuck. */
const CONVERGE_MS = 120_000;

describe('node_down alerts on a cluster manager', { skip }, () => {
  let work: string;
  let receiver: Receiver;
  let manager: BerthdProcess | undefined;
  let worker: BerthdProcess | undefined;
  const subnet = `127.${randomInt(128, 192)}.${randomInt(0, 256)}`;
  const managerAddress = `${subnet}.1`;
  const workerAddress = `${subnet}.2`;
  const cgroupParent = `/${testCgroupName()}`;
  const startWorker = async (): Promise<void> => {
    worker = await BerthdProcess.start(join(work, 'worker'), join(work, 'worker.sock'), ['--cgroup-parent', `${cgroupParent}-w`, '--node-name', 'alert-worker']);
  };
  const cli = async (daemon: BerthdProcess | undefined, args: string[]): Promise<string> => {
    assert.ok(daemon);
    const result = await berthAt(daemon.socketPath, args);
    assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const workerState = async (): Promise<string> => {
    assert.ok(manager);
    const nodes = await new BerthClient(manager.socketPath).cluster.listNodes();
    return nodes.find((n) => n.Description.Hostname === 'alert-worker')?.Status.State ?? 'absent';
  };
  const alertsOf = (status: string): string[] => receiver.received
    .filter((n) => n.status === status)
    .flatMap((n) => n.alerts.map((a) => `${a.labels.alertname ?? ''}/${a.labels.node ?? ''}:${a.status}`));

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-node-down-'));
    receiver = new Receiver(await freePort());
    await receiver.listen();
    await writeFile(join(work, 'alerts.yaml'), [
      'interval: 1s', 'group_wait: 1s', 'group_interval: 1s',
      'receivers:', `  - { name: hook, url: "http://127.0.0.1:${receiver.port}/hook", timeout: 2s }`,
      'rules:', '  - { name: node-lost, event: node_down, severity: critical }',
    ].join('\n'));
    manager = await BerthdProcess.start(join(work, 'manager'), join(work, 'manager.sock'), [
      '--cgroup-parent', `${cgroupParent}-m`, '--node-name', 'alert-manager', '--alert-rules', join(work, 'alerts.yaml'),
    ]);
    await startWorker();
  });
  after(async () => {
    for (const daemon of [worker, manager]) {
      if (daemon?.child.exitCode === null) await berthAt(daemon.socketPath, ['cluster', 'leave', '--force']);
      await daemon?.stop();
    }
    await receiver.close();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('a worker whose berthd dies fires node_down once, with its name; back, the alert resolves', async () => {
    await cli(manager, ['cluster', 'init', '--advertise-addr', managerAddress, '--listen-addr', `${managerAddress}:2377`]);
    const token = (await cli(manager, ['cluster', 'join-token', '-q', 'worker'])).trim();
    await cli(worker, ['cluster', 'join', '--token', token, '--advertise-addr', workerAddress, '--listen-addr', `${workerAddress}:2377`, `${managerAddress}:2377`]);
    await eventually('the worker ready', async () => (await workerState()) === 'ready', CONVERGE_MS);
    assert.equal(receiver.received.length, 0, `nothing fires while every node is ready: ${JSON.stringify(receiver.received)}`);

    await worker?.kill();
    await eventually('the worker down', async () => (await workerState()) === 'down', CONVERGE_MS);
    await eventually('the firing notification', () => alertsOf('firing').length > 0, CONVERGE_MS);
    assert.deepEqual(alertsOf('firing'), ['node-lost/alert-worker:firing']);
    const alert = receiver.received[0]?.alerts[0];
    assert.ok(alert !== undefined);
    assert.equal(alert.labels.severity, 'critical');
    assert.match(alert.labels.node_id ?? '', /^\w+$/);

    await startWorker();
    await eventually('the worker ready again', async () => (await workerState()) === 'ready', CONVERGE_MS);
    await eventually('the resolution', () => alertsOf('resolved').length > 0, CONVERGE_MS);
    assert.deepEqual(alertsOf('resolved'), ['node-lost/alert-worker:resolved']);
    assert.deepEqual(alertsOf('firing'), ['node-lost/alert-worker:firing'], 'fired once');
  });
});
