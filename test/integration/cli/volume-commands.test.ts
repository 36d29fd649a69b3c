// The berth CLI's volume verbs and mount flags against a real berthd: volume create/ls/inspect/
// rm/prune, run -v / --mount / --tmpfs / --init, rm -v, and the exit codes of refusals. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliFixture, needsRoot } from './cli-fixture.js';

describe('berth CLI: volumes through berthd', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => {
    try {
      const ids = (await f.ok(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean);
      if (ids.length > 0) await f.ok(['rm', '-f', '-v', ...ids]);
      const names = (await f.ok(['volume', 'ls', '-q'])).split('\n').filter(Boolean);
      if (names.length > 0) await f.ok(['volume', 'rm', ...names]);
    } finally {
      await f.cleanup();
    }
  });

  test('volume create, ls (table, -q, json, filters), inspect -f; run -v writes as a non-root user', async () => {
    assert.equal(await f.ok(['volume', 'create', '-o', 'uid=1000', '-o', 'gid=1000', '-o', 'mode=0770', '-l', 'app=web', 'webdata']), 'webdata\n');
    assert.match(await f.ok(['volume', 'ls']), /^DRIVER +VOLUME NAME\nlocal +webdata$/m);
    assert.equal(await f.ok(['volume', 'ls', '-q', '-f', 'label=app=web']), 'webdata\n');
    assert.equal(await f.ok(['volume', 'ls', '-q', '-f', 'dangling=false']), '');
    const listed = JSON.parse(await f.ok(['volume', 'ls', '--format', 'json'])) as { Name: string; Options: Record<string, string> }[];
    assert.deepEqual(listed.map((v) => [v.Name, v.Options]), [['webdata', { uid: '1000', gid: '1000', mode: '0770' }]]);
    assert.equal(await f.ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'webdata']), `${join(f.root, 'volumes', 'webdata', '_data')}\n`);
    assert.equal(await f.ok(['run', '--rm', '-u', '1000:1000', '-v', 'webdata:/w', 'busybox', 'sh', '-c', 'echo ok > /w/f && cat /w/f']), 'ok\n');
    assert.equal(await readFile(join(f.root, 'volumes', 'webdata', '_data', 'f'), 'utf8'), 'ok\n');
  });

  test('run --mount bind read-only and tmpfs, --tmpfs, --init; a bad --mount exits 2 before any call', async () => {
    const dir = join(f.work, 'site');
    await mkdir(dir);
    await writeFile(join(dir, 'index'), 'page\n');
    const r = await f.cli(['run', '--rm', '--mount', `type=bind,src=${dir},dst=/site,ro`, '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m', '--tmpfs', '/u:size=2m', '--init', 'busybox', 'sh', '-c',
      'cat /site/index; echo x > /site/index || echo refused; df -k /t /u | tail -2 | awk "{print \\$2}"; cat /proc/1/cmdline | tr "\\0" " "']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['page', 'refused', '1024', '2048', '/sbin/docker-init -- sh -c cat /site/index; echo x > /site/index || echo refused; df -k /t /u | tail -2 | awk "{print \\$2}"; cat /proc/1/cmdline | tr "\\0" " "']);
    const bad = await f.cli(['run', '--mount', 'type=bind,dst=/x,colour=red', 'busybox', 'true']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unexpected key 'colour'/);
  });

  test('rm -v removes anonymous volumes; a volume in use is refused with exit code of a conflict; prune -a', async () => {
    const id = (await f.ok(['create', '-v', '/scratch', '-v', 'keep:/keep', 'busybox', 'true'])).trim();
    const inspect = JSON.parse(await f.ok(['inspect', id])) as { Mounts: { Name: string; Destination: string }[] }[];
    const anon = inspect[0]?.Mounts.find((m) => m.Destination === '/scratch')?.Name ?? '';
    assert.match(anon, /^[0-9a-f]{64}$/);
    const refused = await f.cli(['volume', 'rm', 'keep']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /volume is in use/);
    await f.ok(['rm', '-v', id]);
    assert.doesNotMatch(await f.ok(['volume', 'ls', '-q']), new RegExp(anon));
    const pruned = await f.ok(['volume', 'prune', '-a']);
    assert.match(pruned, /^Deleted Volumes:\n(.*\n)*keep\n/m);
    assert.equal((await f.cli(['volume', 'inspect', 'keep'])).code, 3);
    assert.equal((await f.cli(['volume', 'rm', '-f', 'never-was'])).code, 0);
  });
});
