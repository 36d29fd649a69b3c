// What cluster tests on a lab ask of it, by the lab node's index: its status, a client of its
// berthd, the berth CLI against it (asserting success), and the running tasks of a service.
import assert from 'node:assert/strict';
import { BerthClient } from '../../src/client/berth-client.js';
import type { LabNodeStatus } from '../../src/lab/index.js';
import type { SwarmTask } from '../../src/wire/swarm.js';
import { berthAt } from './berth-cli.js';
import type { TestLab } from './lab.js';

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
