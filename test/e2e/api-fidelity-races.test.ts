// Hangs and races that real clients hit, each run against berthd and a private dockerd with the
// same client: a forced removal of a container waiting for its restart ends; exec output is never
// lost (the Python SDK reads the upgraded stream through a buffered reader); a SIGKILL is recorded
// before the kill answers; a commit right after the container exits works. Needs root, runc,
// conmon, dockerd and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { eventually } from '../integration/runtime/runtime-fixtures.js';
import { pythonOk, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const IMAGE = 'busybox:latest';

async function run(client: Docker, cmd: string[], hostConfig: Docker.HostConfig = {}): Promise<Docker.Container> {
  const container = await client.createContainer({ Image: IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none', ...hostConfig } });
  await container.start();
  return container;
}

describe('API races and hangs, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  before(async () => {
    pair = await SideBySide.start('berth-e2e-races-');
  });
  after(async () => {
    await pair.close();
  });

  test('a forced removal of a container waiting for its restart ends, and the daemon answers after', async () => {
    for (const { name, client } of pair.daemons) {
      const container = await run(client, ['false'], { RestartPolicy: { Name: 'always' } });
      // The backoff doubles from 100 ms: the container is soon seen waiting for its next start.
      await eventually(`${name}: restarting`, async () => (await container.inspect()).State.Restarting);
      await container.remove({ force: true });
      await assert.rejects(container.inspect(), (err: { statusCode?: number }) => err.statusCode === 404, name);
    }
    const survivor = await run(pair.daemon('berthd').client, ['sleep', '60']);
    await survivor.remove({ force: true });
  });

  test('exec output is never lost with the Python SDK', async () => {
    for (const { name, client, socketPath } of pair.daemons) {
      const container = await run(client, ['sleep', '600']);
      try {
        const stdout = pythonOk(socketPath, [
          `c = client.containers.get('${container.id}')`,
          'out = []',
          'for i in range(25):',
          "    r = c.exec_run(['echo', 'line%d' % i])",
          "    out.append([r.exit_code, r.output.decode()])",
          'print(json.dumps(out))',
        ].join('\n'));
        const results = JSON.parse(stdout) as [number, string][];
        assert.deepEqual(results, results.map((_, i) => [0, `line${i}\n`]), name);
      } finally {
        await container.remove({ force: true });
      }
    }
  });

  test('after a SIGKILL answers, inspect sees the exit and rm needs no force', async () => {
    for (const { name, client } of pair.daemons) {
      for (let round = 0; round < 5; round++) {
        const container = await run(client, ['sleep', '600']);
        await container.kill();
        const state = (await container.inspect()).State;
        assert.deepEqual([state.Running, state.ExitCode], [false, 137], `${name} round ${round}`);
        await container.remove();
      }
    }
  });

  test('a commit right after the container exits works', async () => {
    for (const daemon of pair.daemons) await commitRightAfterExit(daemon);
  });
});

async function commitRightAfterExit({ name, client }: Daemon): Promise<void> {
  for (let round = 0; round < 8; round++) {
    const container = await run(client, ['sh', '-c', `echo ${round} > /round`]);
    const committed = (await container.commit({ repo: 'committed', tag: `r${round}` })) as { Id: string };
    assert.match(committed.Id, /^sha256:[0-9a-f]{64}$/, `${name} round ${round}`);
    await container.wait();
    await container.remove();
    await client.getImage(`committed:r${round}`).remove();
  }
}
