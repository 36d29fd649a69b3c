// A build cut short by a daemon crash (kill -9 while a RUN step runs) leaves its step container
// behind; the next berthd removes it, so it never stays visible in `ps -a`. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/base/mount-points.js';
import { BERTH_BIN, needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';

describe('a build killed with its daemon', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-killed-build-');
    await mkdir(join(lab.work, 'context'));
    await writeFile(join(lab.work, 'context', 'Dockerfile'), 'FROM busybox\nRUN echo started && sleep 300\n');
  });
  after(async () => {
    await lab.close();
  });

  test('the next berthd removes the step container of a build that died with its daemon', async () => {
    await lab.start();
    const build = spawn(process.execPath, [BERTH_BIN, '--host', `unix://${lab.socket}`, 'build', '--network', 'none', '-t', 'killed', join(lab.work, 'context')], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    await lab.crash();
    build.kill('SIGKILL');
    assert.equal((await readdir(join(lab.root, 'containers'))).length, 1, 'the step container is left');

    await lab.start();
    assert.equal((await lab.cli(['ps', '-a', '-q'])).stdout, '');
    assert.deepEqual(await readdir(join(lab.root, 'containers')), []);
    assert.deepEqual(await currentMountPointsBelow(lab.root), []);
  });
});
