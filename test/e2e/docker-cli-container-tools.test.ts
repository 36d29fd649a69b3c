// The docker CLI from Debian's docker.io against berthd for the verbs that look into and adjust
// containers: stats --no-stream, top, cp both ways, diff, export, rename, update, container prune,
// system df, and the berth CLI's own stats/top/cp/diff. Needs root, runc, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { chmod, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berthAt } from '../support/berth-cli.js';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';
import { cgroupDirs, detectCgroupLayout } from '../../src/runtime/cgroup-layout.js';
import { eventually } from '../integration/runtime/runtime-fixtures.js';

describe('the docker CLI: stats, top, cp, diff, export, rename, update, prune, df', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  const docker = (args: string[], input?: string) => s.docker(args, input);
  const ok = (...args: string[]): string => s.ok(...args);
  const berth = async (...args: string[]): Promise<string> => {
    const r = await berthAt(s.daemon.socketPath, args);
    assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    s = await DockerCliSession.start('berth-dockercli-t-');
    ok('run', '-d', '--name', 'tools', '-m', '64m', 'busybox', 'sh', '-c', 'echo hi > /hello; rm /bin/vi; exec sleep 1000');
    await eventually('the container to write /hello', () => ok('diff', 'tools').includes('/hello'));
  });
  after(async () => { await s.close(); });

  test('stats --no-stream and top show the running container', async () => {
    const stats = ok('stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}} {{.PIDs}}', 'tools').trim();
    assert.match(stats, /^tools [\d.]+[KM]iB \/ 64MiB 1$/);
    assert.match(ok('top', 'tools'), /sleep 1000/);
    assert.match(ok('top', 'tools', 'aux'), /^USER\s+PID/);
    assert.match(await berth('stats', '--no-stream'), /tools .* \/ 64MiB/);
    assert.match(await berth('top', 'tools'), /sleep 1000/);
  });

  test('diff shows the container\'s changes', async () => {
    const diff = ok('diff', 'tools').trim().split('\n');
    assert.ok(diff.includes('A /hello'), diff.join('\n'));
    assert.ok(diff.includes('D /bin/vi'), diff.join('\n'));
    assert.ok((await berth('diff', 'tools')).includes('A /hello'));
  });

  test('cp round-trips a directory tree with modes, in and out, with both CLIs', async () => {
    const tree = join(s.work, 'tree');
    await mkdir(join(tree, 'dir', 'sub'), { recursive: true });
    await writeFile(join(tree, 'dir', 'sub', 'file'), 'content');
    await chmod(join(tree, 'dir', 'sub', 'file'), 0o640);
    await chmod(join(tree, 'dir', 'sub'), 0o710);
    await symlink('sub/file', join(tree, 'dir', 'link'));
    ok('cp', join(tree, 'dir'), 'tools:/tmp/');
    ok('cp', join(tree, 'dir'), 'tools:/tmp/renamed');
    assert.equal(ok('exec', 'tools', 'sh', '-c', 'stat -c %a /tmp/dir/sub /tmp/dir/sub/file /tmp/renamed/sub; cat /tmp/dir/link').trim(), '710\n640\n710\ncontent');
    const out = join(s.work, 'out');
    ok('cp', 'tools:/tmp/dir', out);
    assert.equal((await stat(join(out, 'sub'))).mode & 0o777, 0o710);
    assert.equal((await stat(join(out, 'sub', 'file'))).mode & 0o777, 0o640);
    assert.equal(await readlink(join(out, 'link')), 'sub/file');
    ok('cp', 'tools:/hello', join(s.work, 'hello.txt'));
    assert.equal(await readFile(join(s.work, 'hello.txt'), 'utf8'), 'hi\n');
    await berth('cp', 'tools:/tmp/dir', join(s.work, 'berth-out'));
    assert.equal(await readFile(join(s.work, 'berth-out', 'sub', 'file'), 'utf8'), 'content');
    await berth('cp', join(tree, 'dir'), 'tools:/tmp/by-berth');
    assert.equal(ok('exec', 'tools', 'cat', '/tmp/by-berth/sub/file'), 'content');
    assert.notEqual(docker(['cp', 'tools:/no/such/file', s.work]).code, 0);
  });

  test('export writes the root filesystem', () => {
    ok('export', '-o', join(s.work, 'rootfs.tar'), 'tools');
    const listing = spawnSync('tar', ['-tf', join(s.work, 'rootfs.tar')], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(listing.includes('bin/busybox'));
    assert.ok(listing.includes('hello'));
  });

  test('rename and update (the new memory limit is read back from the cgroup)', async () => {
    ok('rename', 'tools', 'tools2');
    const id = ok('inspect', '-f', '{{.Id}}', 'tools2').trim();
    ok('update', '--memory', '96m', '--memory-swap', '192m', 'tools2');
    const dir = cgroupDirs(await detectCgroupLayout(), `${s.cgroupParent}/${id}`);
    const limit = dir.v1.get('memory') === undefined
      ? (await readFile(join(dir.unified ?? '', 'memory.max'), 'utf8')).trim()
      : (await readFile(join(dir.v1.get('memory') ?? '', 'memory.limit_in_bytes'), 'utf8')).trim();
    assert.equal(limit, String(96 * 1024 * 1024));
    assert.equal(ok('inspect', '-f', '{{.HostConfig.Memory}}', 'tools2').trim(), String(96 * 1024 * 1024));
    ok('rename', 'tools2', 'tools');
  });

  test('checkpoint requests answer that this host cannot do it', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath: s.daemon.socketPath, method: 'POST', path: '/v1.41/containers/tools/checkpoints', headers: { 'Content-Type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
      });
      req.on('error', reject);
      req.end('{"CheckpointID":"c1"}');
    });
    assert.equal(answer.status, 409);
    assert.match(answer.body, /checkpoint\/restore is not supported on this host/);
    assert.equal(ok('inspect', '-f', '{{.State.Running}}', 'tools').trim(), 'true');
  });

  test('system df, container prune and system prune', async () => {
    ok('run', '--name', 'stopped-one', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/blob bs=1k count=100 2>/dev/null');
    const df = ok('system', 'df');
    assert.match(df, /^Images\s+1\s+1\s/m);
    assert.match(df, /^Containers\s+2\s+1\s/m);
    assert.match(await berth('system', 'df'), /^Containers\s+2\s+1\s/m);
    const pruned = ok('container', 'prune', '-f');
    assert.match(pruned, /Total reclaimed space: 1\d\d(\.\d+)?kB/);
    assert.equal(ok('ps', '-aq', '--filter', 'name=stopped-one'), '');
    ok('run', '--name', 'stopped-two', 'busybox', 'true');
    assert.match(await berth('system', 'prune', '-f'), /Deleted Containers:/);
    assert.equal(ok('ps', '-aq', '--filter', 'name=stopped-two'), '');
    assert.match(ok('ps', '--format', '{{.Names}}'), /^tools$/m);
  });
});
