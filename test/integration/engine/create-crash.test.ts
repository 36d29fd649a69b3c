// `create` of a container with a named and an anonymous volume cut short by a daemon crash after
// its record, writable layer and volumes were made, right before it is complete (a failpoint, a
// SIGKILL as kill -9 would). The next berthd undoes it: no container is listed, its anonymous
// volume is gone (the named one stays), and nothing is left (mounts, cgroups, conmon, temp files,
// leases). The name serves the retried create. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { needsRoot, type CliResult } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, NOTHING } from '../../support/crash-leftovers.js';

describe('create and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-create-crash-');
  });
  after(async () => {
    await lab.close();
  });

  const create = (): Promise<CliResult> => lab.cli(['create', '--name', 'half', '-v', 'kept:/named', '-v', '/anon', 'busybox', 'true']);

  test('killed before the create is complete: the next berthd removes the container and its anonymous volume', async () => {
    await lab.start('create-before-complete');
    assert.notEqual((await create()).code, 0, 'berthd died under the create');
    await lab.crash();
    // What the dead create made: its record, its writable layer and both volumes.
    assert.equal((await readdir(join(lab.root, 'containers'))).length, 1);
    assert.equal((await readdir(join(lab.root, 'volumes'))).filter((name) => !name.startsWith('.')).length, 2);

    await lab.start();
    assert.equal(await lab.ok(['ps', '-a', '-q']), '', 'no half-made container is listed');
    assert.deepEqual(await readdir(join(lab.root, 'containers')), []);
    assert.deepEqual((await lab.ok(['volume', 'ls', '-q'])).split('\n'), ['kept'], 'the named volume stays, the anonymous one went');
    assert.deepEqual(await leftovers(lab), NOTHING);

    // The retried create succeeds, under the same name, and the container runs.
    assert.equal((await create()).code, 0);
    await lab.ok(['start', '-a', 'half']);
    const [inspected] = JSON.parse(await lab.ok(['inspect', 'half'])) as { State: { ExitCode: number } }[];
    assert.equal(inspected?.State.ExitCode, 0);
    await lab.ok(['rm', '-v', 'half']);
  });
});
