// A build cut short by a daemon crash leaves nothing of itself behind once the next berthd runs:
// killed while its second RUN runs (its first RUN's image committed), or at the failpoint
// `build-after-step-commit` (a step's image and cache entry just recorded), the step container is
// removed (never visible in `ps -a`), and so are the intermediate images and cache entries of the
// unfinished build (not listed by `images -a`, not dangling in `images`), as after a failed build;
// no mount, lease or temp file stays, and the same build, redone, succeeds. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BERTH_BIN, needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, NOTHING } from '../../support/crash-leftovers.js';

describe('a build killed with its daemon', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-killed-build-');
    await mkdir(join(lab.work, 'sleeping'));
    await writeFile(join(lab.work, 'sleeping', 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nARG PAUSE=300\nRUN echo started && sleep $PAUSE\n');
    await mkdir(join(lab.work, 'steps'));
    await writeFile(join(lab.work, 'steps', 'Dockerfile'), 'FROM busybox\nRUN echo one > /one && echo steps\nRUN echo two > /two\nCMD ["cat", "/one", "/two"]\n');
  });
  after(async () => {
    await lab.close();
  });

  /** A build that must succeed; its progress lines and result. */
  const build = async (args: string[]): Promise<string> => {
    const result = await lab.cli(['build', '--network', 'none', ...args]);
    assert.equal(result.code, 0, `berth build ${args.join(' ')}: ${result.stderr}`);
    return result.stderr + result.stdout;
  };
  /** After the restart: no container, image, cache entry, mount, lease or temp file of the build. */
  const assertNothingLeft = async (images: string): Promise<void> => {
    assert.equal(await lab.ok(['ps', '-a', '-q']), '');
    assert.deepEqual(await readdir(join(lab.root, 'containers')), []);
    assert.equal(await lab.ok(['images', '-a', '-q']), images, 'no intermediate image of the killed build');
    assert.equal(await lab.ok(['images', '-q']), images, 'nothing dangling');
    assert.deepEqual(await leftovers(lab), NOTHING);
  };

  test('killed while its second RUN runs: the next berthd removes its step container and its first RUN\'s image', async () => {
    await lab.daemon?.stop();
    await lab.start();
    const images = await lab.ok(['images', '-a', '-q']);
    const running = spawn(process.execPath, [BERTH_BIN, '--host', `unix://${lab.socket}`, 'build', '--network', 'none', '-t', 'killed', join(lab.work, 'sleeping')], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      running.stdout.on('data', read);
      running.stderr.on('data', read);
      running.on('close', () => { reject(new Error(`the build ended before its RUN ran: ${output}`)); });
    });
    await lab.crash();
    running.kill('SIGKILL');
    assert.equal((await readdir(join(lab.root, 'containers'))).length, 1, 'the step container is left');

    await lab.start();
    await assertNothingLeft(images);
    const again = await build(['--build-arg', 'PAUSE=0', '-t', 'killed', join(lab.work, 'sleeping')]);
    assert.match(again, /Step 2\/4 : RUN echo one/);
    assert.doesNotMatch(again, /Using cache/);
    assert.equal(await lab.ok(['run', '--rm', '--network', 'none', 'killed', 'cat', '/one']), 'one');
    await lab.ok(['rmi', 'killed']);
    await lab.ok(['builder', 'prune', '-f']);
  });

  test('killed right after a step\'s image was recorded: the image and its cache entry go; the build, redone, works', async () => {
    await lab.daemon?.stop();
    await lab.start('build-after-step-commit');
    const images = await lab.ok(['images', '-a', '-q']);
    const killed = await lab.cli(['build', '--network', 'none', '-t', 'steps', join(lab.work, 'steps')]);
    assert.notEqual(killed.code, 0, 'berthd died under the build');
    assert.match(killed.stderr + killed.stdout, /Step 2\/4/);
    assert.doesNotMatch(killed.stderr + killed.stdout, /Step 3\/4/);
    await lab.crash();

    await lab.start();
    await assertNothingLeft(images);
    const again = await build(['-t', 'steps', join(lab.work, 'steps')]);
    assert.match(again, /Step 2\/4 : RUN echo one > \/one && echo steps/);
    assert.doesNotMatch(again, /Using cache/);
    assert.equal(await lab.ok(['run', '--rm', '--network', 'none', 'steps']), 'one\ntwo');
    // The finished build's steps are the node's cache now: hidden from `images`, reused by the next build.
    assert.equal((await lab.ok(['images', '-q'])).split('\n').length, images.split('\n').length + 1);
    assert.match(await build(['-t', 'steps', join(lab.work, 'steps')]), /Using cache/);
  });
});
