// The json-file copy of a container's output across berthd crashes: berthd killed (SIGKILL) while
// a container writes, and at the two named points where a crash could repeat or lose lines (after
// lines were written, before their checkpoint; inside a rotation). The container outlives berthd;
// the next berthd catches up, and its json-files hold every line once, in order. Each wait is
// bounded and waits for a state (lines on disk), never for time. Needs root and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerCliSession, dockerCliSkip } from '../../support/docker-cli-session.js';
import { eventually } from '../runtime/runtime-fixtures.js';

/** The `log` of every line of the container's json-file set, oldest file first. */
async function jsonLogLines(root: string, id: string): Promise<string[]> {
  const dir = join(root, 'containers', id);
  const base = `${id}-json.log`;
  const names = (await readdir(dir)).filter((name) => name === base || (name.startsWith(`${base}.`) && /^\d+$/.test(name.slice(base.length + 1))));
  names.sort((a, b) => Number(b.slice(base.length + 1) || 0) - Number(a.slice(base.length + 1) || 0));
  const lines: string[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    for (const line of text.split('\n').filter(Boolean)) lines.push((JSON.parse(line) as { log: string }).log);
  }
  return lines;
}

/** `line 0\n` … `line N-1\n`, `done N\n`: what the writer below writes. */
function assertEveryLineOnce(lines: string[]): void {
  const last = lines.at(-1) ?? '';
  const count = Number(/^done (\d+)\n$/.exec(last)?.[1] ?? NaN);
  assert.ok(count > 0, `the last line is the writer's end: ${JSON.stringify(last)}`);
  assert.deepEqual(lines, [...Array.from({ length: count }, (_, i) => `line ${i}\n`), last]);
}

describe('json-file logs across berthd crashes', { skip: dockerCliSkip() }, () => {
  let session: DockerCliSession;
  before(async () => { session = await DockerCliSession.start('berth-log-crash-'); });
  const berthdGone = (): boolean => session.daemon.child.exitCode !== null || session.daemon.child.signalCode !== null;
  after(async () => {
    delete process.env.BERTH_FAILPOINT;
    if (berthdGone()) await session.startDaemon();
    await session.close();
  });

  /** Starts a container that, once `<ctl>/go` exists, writes numbered lines until `<ctl>/stop` does. */
  async function startWriter(name: string, logOpts: string[] = []): Promise<{ id: string; stop: () => Promise<void> }> {
    const ctl = join(session.work, `ctl-${name}`);
    await mkdir(ctl, { recursive: true });
    const id = session.ok('run', '-d', '--name', name, '--network', 'none', '-v', `${ctl}:/ctl`, ...logOpts.flatMap((o) => ['--log-opt', o]), 'busybox', 'sh', '-c',
      'while [ ! -e /ctl/go ]; do usleep 1000; done; i=0; while [ ! -e /ctl/stop ]; do echo "line $i"; i=$((i+1)); usleep 300; done; echo "done $i"').trim();
    // Only now: a crash at a failpoint must not cut the answer to `run` short.
    await writeFile(join(ctl, 'go'), '');
    return { id, stop: () => writeFile(join(ctl, 'stop'), '') };
  }

  const copied = async (id: string): Promise<number> => (await jsonLogLines(session.root, id)).length;

  test('kill -9 while a container writes: after the restart every line is there once', async () => {
    const { id, stop } = await startWriter('writer');
    await eventually('lines copied', async () => (await copied(id)) >= 200);
    await session.daemon.kill();
    const spool = join(session.root, 'containers', id, 'container.log');
    const size = (await stat(spool)).size;
    await eventually('the container writing while berthd is down', async () => (await stat(spool)).size > size + 20_000);
    await session.startDaemon();
    const caughtUp = await copied(id);
    await eventually('copying going on after the restart', async () => (await copied(id)) > caughtUp + 100);
    await stop();
    assert.equal(session.ok('wait', id).trim(), '0');
    const lines = await jsonLogLines(session.root, id);
    assertEveryLineOnce(lines);
    assert.equal(session.ok('logs', id), lines.join(''));
  });

  for (const point of ['log-copy-before-checkpoint', 'log-copy-after-rotate']) {
    test(`a crash at ${point}: nothing is written twice or lost`, async () => {
      await session.daemon.stop();
      process.env.BERTH_FAILPOINT = point;
      try {
        await session.startDaemon();
      } finally {
        delete process.env.BERTH_FAILPOINT;
      }
      const { id, stop } = await startWriter(point, ['max-size=2k', 'max-file=1000']);
      await eventually('berthd killed at the failpoint', berthdGone);
      assert.equal(session.daemon.child.signalCode, 'SIGKILL');
      await session.startDaemon();
      const caughtUp = await copied(id);
      await eventually('copying going on after the restart', async () => (await copied(id)) > caughtUp + 100);
      await stop();
      assert.equal(session.ok('wait', id).trim(), '0');
      assertEveryLineOnce(await jsonLogLines(session.root, id));
    });
  }
});
