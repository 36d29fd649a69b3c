// The berth CLI's container verbs against a real berthd: run -d, ps, logs, stop, wait, rm,
// inspect, pause/unpause, kill, restart, create/start, and the exit codes of errors. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CliFixture, FULL_ID, needsRoot } from './cli-fixture.js';

interface Listed { Id: string; Names: string[]; State: string; Status: string; Image: string; Command: string }

describe('berth CLI: container lifecycle through berthd', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => { await f.cleanup(); });

  const listed = async (...flags: string[]): Promise<Listed[]> => JSON.parse(await f.ok(['ps', ...flags, '--format', 'json'])) as Listed[];

  test('run -d, ps (table, -q, json), stop, ps -a, wait, rm', async () => {
    const id = (await f.ok(['run', '-d', '--name', 'sleeper', '--network', 'none', 'busybox', 'sleep', '3600'])).trim();
    assert.match(id, FULL_ID);

    const table = (await f.ok(['ps'])).split('\n');
    assert.match(table[0] ?? '', /^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    const row = table.find((line) => line.startsWith(id.slice(0, 12)));
    assert.ok(row !== undefined, `ps shows the container: ${table.join('\n')}`);
    assert.match(row, /busybox +"sleep 3600" +.+ ago +Up .+sleeper$/);
    assert.ok((await f.ok(['ps', '-q'])).split('\n').includes(id.slice(0, 12)));
    assert.ok((await f.ok(['container', 'ls', '-q', '--no-trunc'])).split('\n').includes(id));
    const running = (await listed()).find((c) => c.Id === id);
    assert.deepEqual([running?.Names, running?.State, running?.Image], [['/sleeper'], 'running', 'busybox']);

    assert.equal(await f.ok(['stop', '-t', '0', 'sleeper']), 'sleeper\n');
    assert.equal((await listed()).some((c) => c.Id === id), false, 'a stopped container is not in ps without -a');
    const exited = (await listed('-a')).find((c) => c.Id === id);
    assert.equal(exited?.State, 'exited');
    assert.match(exited.Status, /^Exited \(137\) /);
    assert.equal(await f.ok(['wait', 'sleeper']), '137\n');
    assert.equal(await f.ok(['rm', id.slice(0, 12)]), `${id.slice(0, 12)}\n`);
    assert.equal((await listed('-a')).some((c) => c.Id === id), false);
  });

  test('logs: both streams, --tail, -t timestamps, --since in the future, -f of an exited container', async () => {
    const id = (await f.ok(['run', '-d', '--network', 'none', 'busybox', 'sh', '-c', 'echo one; echo two >&2; echo three'])).trim();
    assert.equal(await f.ok(['wait', id]), '0\n');
    const all = await f.cli(['logs', id]);
    assert.deepEqual([all.code, all.stdout, all.stderr], [0, 'one\nthree\n', 'two\n']);
    const followed = await f.cli(['logs', '-f', id]);
    assert.deepEqual([followed.stdout, followed.stderr], ['one\nthree\n', 'two\n'], 'follow of an exited container ends at once');
    // One stream only below: the order of lines across stdout and stderr is the order they were read.
    const counted = (await f.ok(['run', '-d', '--network', 'none', 'busybox', 'sh', '-c', 'echo a; echo b; echo c'])).trim();
    assert.equal(await f.ok(['wait', counted]), '0\n');
    assert.equal((await f.cli(['logs', '--tail', '2', counted])).stdout, 'b\nc\n');
    assert.match((await f.cli(['logs', '-t', '--tail', '1', counted])).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z c\n$/);
    const none = await f.cli(['logs', '--since', '2099-01-01T00:00:00Z', counted]);
    assert.deepEqual([none.code, none.stdout, none.stderr], [0, '', '']);
    await f.ok(['rm', id, counted]);
  });

  test('inspect: JSON, -f fields, container then image, and not found', async () => {
    const id = (await f.ok(['create', '--name', 'inspected', '-e', 'A=1', '-l', 'k=v', '--network', 'none', 'busybox', 'echo', 'x'])).trim();
    assert.match(id, FULL_ID);
    const json = (JSON.parse(await f.ok(['inspect', 'inspected'])) as { Id: string; Name: string; State: { Status: string }; Config: { Env: string[]; Labels: Record<string, string>; Cmd: string[] } }[])[0];
    assert.equal(json?.Id, id);
    assert.equal(json.Name, '/inspected');
    assert.equal(json.State.Status, 'created');
    assert.ok(json.Config.Env.includes('A=1'));
    assert.equal(json.Config.Labels.k, 'v');
    assert.equal(await f.ok(['inspect', '-f', '{{.State.Status}} {{json .Config.Cmd}}', 'inspected']), 'created ["echo","x"]\n');
    assert.equal(await f.ok(['container', 'inspect', '--format', '{{.Name}}', id]), '/inspected\n');
    const image = JSON.parse(await f.ok(['inspect', 'busybox'])) as { RepoTags: string[] }[];
    assert.deepEqual(image[0]?.RepoTags, ['busybox:latest']);
    const missing = await f.cli(['container', 'inspect', 'busybox']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No such container: busybox/);
    const mixed = await f.cli(['inspect', '-f', '{{.Name}}', 'inspected', 'no-such-thing']);
    assert.deepEqual([mixed.code, mixed.stdout], [3, '/inspected\n']);
    assert.match(mixed.stderr, /No such object: no-such-thing/);
    assert.equal(await f.ok(['rm', 'inspected']), 'inspected\n');
  });

  test('create, start, pause, unpause, restart, kill', async () => {
    const id = (await f.ok(['create', '--name', 'cycled', '--network', 'none', 'busybox', 'sleep', '3600'])).trim();
    assert.equal((await listed('-a')).find((c) => c.Id === id)?.Status, 'Created');
    assert.equal(await f.ok(['start', 'cycled']), 'cycled\n');
    assert.equal(await f.ok(['pause', 'cycled']), 'cycled\n');
    assert.match((await listed()).find((c) => c.Id === id)?.Status ?? '', /^Up .*\(Paused\)$/);
    assert.equal(await f.ok(['unpause', 'cycled']), 'cycled\n');
    const startedAt = async (): Promise<string> => (await f.ok(['inspect', '-f', '{{.State.StartedAt}}', 'cycled'])).trim();
    const before = await startedAt();
    assert.equal(await f.ok(['restart', '-t', '0', 'cycled']), 'cycled\n');
    assert.equal(await f.ok(['inspect', '-f', '{{.State.Status}}', 'cycled']), 'running\n');
    assert.notEqual(await startedAt(), before);
    assert.equal(await f.ok(['kill', '-s', 'KILL', 'cycled']), 'cycled\n');
    assert.equal(await f.ok(['wait', 'cycled']), '137\n');
    await f.ok(['rm', 'cycled']);
  });

  test('errors exit with the code of their kind and name the object', async () => {
    const noContainer = await f.cli(['rm', 'no-such-container']);
    assert.equal(noContainer.code, 3);
    assert.match(noContainer.stderr, /^Error: No such container: no-such-container$/m);

    const noImage = await f.cli(['run', '--rm', 'no-such-image:1']);
    assert.equal(noImage.code, 3);
    assert.match(noImage.stderr, /Unable to find image 'no-such-image:1' locally.*cannot pull/);

    await f.ok(['run', '-d', '--name', 'busy', '--network', 'none', 'busybox', 'sleep', '3600']);
    const running = await f.cli(['rm', 'busy']);
    assert.equal(running.code, 4, 'removing a running container is a conflict');
    assert.match(running.stderr, /Stop the container before attempting removal or force remove/);
    const taken = await f.cli(['create', '--name', 'busy', 'busybox']);
    assert.equal(taken.code, 4, 'a taken name is a conflict');
    assert.equal(await f.ok(['rm', '-f', 'busy']), 'busy\n');

    const some = await f.cli(['stop', 'no-such-1', 'no-such-2']);
    assert.equal(some.code, 3);
    assert.equal(some.stderr.match(/No such container/g)?.length, 2, 'every target is tried');

    const badFlag = await f.cli(['run', '--memory', 'lots', 'busybox']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--memory: invalid size "lots"/);
    assert.equal((await f.cli(['run', '--no-such-flag', 'busybox'])).code, 2);
    assert.equal((await f.cli(['ps', '--filter', 'status'])).code, 2);

    const noDaemon = await f.cli(['--host', `unix://${f.work}/absent.sock`, 'ps']);
    assert.equal(noDaemon.code, 6);
    assert.match(noDaemon.stderr, /cannot connect to berthd at unix:\/\/.*absent\.sock: is berthd running\?/);
  });

  test('ps filters: status, exited, name, label; -n', async () => {
    const a = (await f.ok(['run', '-d', '--name', 'filter-a', '-l', 'group=x', '--network', 'none', 'busybox', 'sh', '-c', 'exit 3'])).trim();
    const b = (await f.ok(['create', '--name', 'filter-b', '--network', 'none', 'busybox', 'true'])).trim();
    assert.equal(await f.ok(['wait', a]), '3\n');
    const ids = async (...flags: string[]): Promise<string[]> => (await f.ok(['ps', '-q', '--no-trunc', ...flags])).split('\n').filter(Boolean);
    // As dockerd: `exited` does not list stopped containers by itself (`status` does).
    assert.deepEqual(await ids('--filter', 'exited=3'), []);
    assert.deepEqual(await ids('-a', '--filter', 'exited=3'), [a]);
    assert.deepEqual(await ids('-a', '--filter', 'status=created', '--filter', 'name=filter-'), [b]);
    assert.deepEqual(await ids('-a', '--filter', 'label=group=x'), [a]);
    assert.deepEqual(await ids('-n', '1'), [b]);
    await f.ok(['rm', a, b]);
  });
});
