// Autoscaling on the lab: one manager (node A) and one worker (B). A service autoscaled on CPU
// (1 to 3 replicas, a 10% target of one CPU) runs tasks that burn a CPU while a file the test
// controls exists (a host directory bind-mounted into every task: the lab's nodes share this
// machine's disk). With the load on, the service grows to its maximum; with it off, it shrinks
// back to 1 after its scale-down delay; each change is in the manager's event stream with the
// numbers behind it, and in `service inspect --pretty`. The target is low so that three burning
// tasks stay well above it on two cores however busy the machine is (other processes only lower
// each task's share). Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from './etcd-fixtures.js';

/** Starts, measurements (every 5 s) and the scale-down delay take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 180_000;
/** Burns a CPU while /load/on exists, idles otherwise. */
const BURN = ['sh', '-c', 'while :; do if [ -e /load/on ]; then :; else sleep 0.2; fi; done'];

describe('autoscaling on the lab', { skip: labSkipReason() }, () => {
  const { client, cli } = labSuite(1, 1);

  test('CPU load scales a service from 1 to its maximum and, once the load ends, back to 1; the decisions are events', async (t) => {
    const load = await mkdtemp(join(tmpdir(), 'berth-autoscale-'));
    t.after(() => rm(load, { recursive: true, force: true }));
    await writeFile(join(load, 'on'), '');
    await cli(0, [
      'service', 'create', '--name', 'burn', '--autoscale-max', '3', '--autoscale-cpu', '10', '--autoscale-scale-down-delay', '5s',
      '--mount', `type=bind,source=${load},target=/load`, '--detach', 'busybox', ...BURN,
    ]);
    const replicas = async (): Promise<number> => {
      const mode = (await client(0).cluster.inspectService('burn')).Spec.Mode;
      return 'Replicated' in mode ? mode.Replicated.Replicas : 0;
    };
    const running = async (): Promise<number> => (await client(0).cluster.listTasks({ service: ['burn'], 'desired-state': ['running'] })).filter((task) => task.Status.State === 'running').length;
    await eventually('3 replicas running under load', async () => (await replicas()) === 3 && (await running()) === 3, CONVERGE_MS);
    const grown = await client(0).cluster.inspectService('burn');
    assert.match(grown.AutoscaleStatus?.Message ?? '', /→ 3 replicas: cpu \d+% of a 10% target over \d tasks?/);

    await rm(join(load, 'on'));
    await eventually('back to 1 replica once idle', async () => (await replicas()) === 1 && (await running()) === 1, CONVERGE_MS);
    const pretty = await cli(0, ['service', 'inspect', '--pretty', 'burn']);
    assert.match(pretty, /Autoscale:\n Replicas:\s+1 to 3\n CPU Target:\s+10%/);
    assert.match(pretty, /Last Change:\s+\d → 1 replicas: cpu \d+% of a 10% target/);

    const changes: string[] = [];
    for await (const event of client(0).events.stream({ since: '0', until: String(Date.now() / 1000), filters: { type: ['service'], service: ['burn'] } })) {
      const to = event.Actor.Attributes['replicas.new'];
      if (to === undefined) continue;
      changes.push(`${event.Actor.Attributes['replicas.old'] ?? ''}>${to}`);
      assert.match(event.Actor.Attributes['autoscale.new'] ?? '', new RegExp(`→ ${to} replicas: cpu \\d+%`), 'the numbers behind each change are in its event');
    }
    assert.equal(changes[0]?.split('>')[0], '1');
    assert.equal(changes.at(-1)?.split('>')[1], '1');
    assert.ok(changes.some((c) => c.endsWith('>3')), changes.join(' '));
    await cli(0, ['service', 'rm', 'burn']);
  });
});
