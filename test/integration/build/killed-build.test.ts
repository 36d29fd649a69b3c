// A build cut short by a daemon crash (kill -9 while a RUN step runs) leaves its step container
// behind; the next berthd removes it, so it never stays visible in `ps -a`. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/base/mount-points.js';
import { BERTH_BIN, berthAt, berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

describe('a build killed with its daemon', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let daemon: BerthdProcess | undefined;
  const socket = (): string => join(work, 'berth.sock');
  const start = (): Promise<BerthdProcess> => BerthdProcess.start(root, socket(), ['--cgroup-parent', `/${testCgroupName()}`]);

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-killed-build-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    await mkdir(join(work, 'context'));
    await writeFile(join(work, 'context', 'Dockerfile'), 'FROM busybox\nRUN echo started && sleep 300\n');
  });
  after(async () => {
    try {
      await daemon?.stop();
      await sweepLeftovers();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test('the next berthd removes the step container of a build that died with its daemon', async () => {
    daemon = await start();
    const build = spawn(process.execPath, [BERTH_BIN, '--host', `unix://${socket()}`, 'build', '--network', 'none', '-t', 'killed', join(work, 'context')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no RUN output within 60 s: ${output}`)); }, 60_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/^started$/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      build.stdout.on('data', read);
      build.stderr.on('data', read);
      build.on('close', () => { reject(new Error(`the build ended before its RUN ran: ${output}`)); });
    });
    await daemon.kill();
    daemon = undefined;
    build.kill('SIGKILL');
    assert.equal((await readdir(join(root, 'containers'))).length, 1, 'the step container is left');

    daemon = await start();
    assert.equal((await berthAt(socket(), ['ps', '-a', '-q'])).stdout, '');
    assert.deepEqual(await readdir(join(root, 'containers')), []);
    assert.deepEqual(await currentMountPointsBelow(root), []);
  });
});
