// The cluster's series at a manager's GET /metrics: a lab of one manager (its berthd from the build
// this file was compiled into, as the other metrics tests run it) runs a replicated service of 2
// busybox tasks; once both run, a scrape on the API socket shows 1 ready active manager, 2 desired
// and 2 running tasks, this node leading, its etcd calls and the scheduling delays of the tasks.
// After the node leaves the cluster, the same berthd serves no cluster series. Needs root and etcd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { BerthClient } from '../../../src/client/berth-client.js';
import { downLab, upLab, type LabStatus } from '../../../src/lab/index.js';
import { berthAt } from '../../support/berth-cli.js';
import { busyboxTar, labSkipReason, removeBusyboxTar, sweepTestLabs, TEST_LAB_HOME, testLabName } from '../../support/lab.js';
import { eventually, skipReason as etcdSkipReason } from '../cluster/etcd-fixtures.js';

const BERTHD_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'berthd-entry.js');
/** Image loading, the first pass and two container starts take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 120_000;
const runner = new ChildProcessRunner();

/** `GET /metrics` on a berthd's API socket: its text. */
function scrape(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/metrics', method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => {
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`GET /metrics: ${res.statusCode ?? 0}: ${text}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The samples of a family in a scrape: labels as written (`role="manager",…`, '' without labels) → value. */
function family(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

const sum = (samples: Map<string, number>): number => [...samples.values()].reduce((total, value) => total + value, 0);

describe('cluster metrics on a one-manager lab', { skip: labSkipReason() || etcdSkipReason() }, () => {
  const name = testLabName();
  let lab: LabStatus | undefined;
  const socket = (): string => {
    const node = lab?.nodes[0];
    assert.ok(node, 'the lab is up');
    return node.socket;
  };

  before(async () => {
    await sweepTestLabs();
    lab = await upLab(runner, { name, managers: 1, workers: 0, root: TEST_LAB_HOME, berthd: BERTHD_ENTRY });
    const loaded = await berthAt(socket(), ['load', '-i', await busyboxTar()]);
    assert.equal(loaded.code, 0, `load busybox: ${loaded.stderr}`);
  });
  after(async () => {
    // upLab removes what it made when it fails; after that the lab is ours to take down.
    if (lab !== undefined) await downLab(runner, { name, root: TEST_LAB_HOME });
    await removeBusyboxTar();
  });

  test('a manager running a service of 2 replicas shows its nodes, tasks, leadership, etcd calls and scheduling delays', async () => {
    const client = new BerthClient(socket());
    await client.cluster.createService({
      Name: 'web', Mode: { Replicated: { Replicas: 2 } },
      TaskTemplate: { ContainerSpec: { Image: 'busybox', Command: ['sleep', '100000'] } },
    });
    const running = async (): Promise<number> => (await client.cluster.listTasks({ service: ['web'], 'desired-state': ['running'] }))
      .filter((task) => task.Status.State === 'running').length;
    await eventually('both tasks of web running', async () => (await running()) === 2, CONVERGE_MS);

    const text = await scrape(socket());
    const nodes = family(text, 'berth_cluster_nodes');
    assert.equal(nodes.get('role="manager",status="ready",availability="active"'), 1, text);
    assert.equal(sum(nodes), 1, 'one node in all');
    assert.deepEqual([...family(text, 'berth_cluster_service_desired_tasks')], [['service="web"', 2]]);
    assert.deepEqual([...family(text, 'berth_cluster_service_running_tasks')], [['service="web"', 2]]);
    assert.equal(family(text, 'berth_cluster_leader').get(''), 1);
    assert.ok((family(text, 'berth_cluster_leader_changes_total').get('') ?? 0) >= 1);
    const etcdCalls = family(text, 'berth_cluster_etcd_request_duration_seconds_count');
    assert.ok(sum(etcdCalls) > 0, 'etcd calls were timed');
    for (const operation of ['range', 'txn', 'lease']) assert.ok((etcdCalls.get(`operation="${operation}"`) ?? 0) > 0, `${operation} calls: ${[...etcdCalls.keys()].join(' ')}`);
    assert.ok((family(text, 'berth_cluster_scheduling_duration_seconds_count').get('') ?? 0) >= 2, 'both tasks were scheduled by this leader');
    assert.match(text, /^# TYPE berth_cluster_scheduling_duration_seconds histogram$/m);
    assert.match(text, /^berth_containers\{/m, 'the node\'s own series are still there');
  });

  test('once the node left the cluster, its berthd serves no cluster series', async () => {
    const client = new BerthClient(socket());
    await client.cluster.leaveSwarm(true);
    const text = await scrape(socket());
    assert.doesNotMatch(text, /^berth_cluster_/m);
    assert.match(text, /^berth_containers\{/m);
  });
});
