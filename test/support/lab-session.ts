// What cluster tests on a lab ask of it, by the lab node's index: its status, a client of its
// berthd, the berth CLI against it (asserting success), and the running tasks of a service; and
// the lab of a suite, started before its tests and closed after them.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { BerthClient } from '../../src/client/berth-client.js';
import type { LabNodeStatus } from '../../src/lab/index.js';
import type { SwarmTask } from '../../src/wire/swarm.js';
import { berthAt } from './berth-cli.js';
import { removeBusyboxTar, TestLab } from './lab.js';

export interface LabSession {
  readonly node: (index: number) => LabNodeStatus;
  readonly client: (index: number) => BerthClient;
  /** `berth ARGS` against the node; fails the test (with stderr) unless it exits 0; its stdout. */
  readonly cli: (index: number, args: string[]) => Promise<string>;
  /** The service's tasks desired and observed running, as a manager (`via`, default node 0) lists them. */
  readonly running: (service: string, via?: number) => Promise<SwarmTask[]>;
}

/** A session over the lab `current()` returns (set in `before`). */
export function labSession(current: () => TestLab | undefined): LabSession {
  const node = (index: number): LabNodeStatus => {
    const lab = current();
    assert.ok(lab, 'the lab is up');
    return lab.node(index);
  };
  const client = (index: number): BerthClient => new BerthClient(node(index).socket);
  return {
    node,
    client,
    cli: async (index, args) => {
      const result = await berthAt(node(index).socket, args);
      assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
    running: async (service, via = 0) => {
      const tasks = await client(via).cluster.listTasks({ service: [service], 'desired-state': ['running'] });
      return tasks.filter((t) => t.Status.State === 'running');
    },
  };
}

/**
 * A lab of `managers` and `workers` for the tests of the enclosing `describe`: started, with
 * busybox loaded on every node, in a `before` hook (hooks the suite adds after this one run once
 * it is up), closed in an `after` hook with the busybox archive removed. `current` is the lab
 * (undefined before the hook ran, or when it failed).
 */
export function labSuite(managers: number, workers: number): LabSession & { readonly current: () => TestLab | undefined } {
  let lab: TestLab | undefined;
  before(async () => {
    lab = await TestLab.start(managers, workers);
    for (const node of lab.nodes) await lab.loadBusybox(node);
  });
  after(async () => {
    await lab?.close();
    await removeBusyboxTar();
  });
  return { ...labSession(() => lab), current: () => lab };
}
