// PUT /containers/{id}/archive (docker cp into a container) applies a tar all or nothing: uploads
// refused part-way (a climbing name, a path through a symlink of the tar, a hard link to nothing, a
// truncated tar, an entry type berth does not write, a directory swapped for a file under
// noOverwriteDirNonDir, a client gone mid-upload) leave the root filesystem, a volume and a bind
// mount as they were, running or stopped, and leave no staging behind; good uploads still land.
// Needs root, runc, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { pack } from 'tar-stream';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';
import { makeTar, type FixtureEntry } from '../support/oci-fixtures.js';
import { readTarEntries } from '../support/tar-entries.js';
import { http } from '../support/side-by-side.js';
import { eventually } from '../integration/runtime/runtime-fixtures.js';

/** A tar's entries by name: a file's content (its size when long) and uid, a link's target, or its type. */
async function entriesOf(stream: Readable): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const { header, data } of await readTarEntries(stream)) {
    const { type } = header;
    const content = data.length > 64 ? `(${data.length} bytes)` : data.toString();
    seen[header.name] = type === 'file' ? `file ${content} ${header.uid}` : type === 'symlink' || type === 'link' ? `${type} ${header.linkname}` : type;
  }
  return seen;
}

/** `tar` with the type flag of entry `name` set to `flag` (and its header checksum redone). */
function withTypeFlag(tar: Buffer, name: string, flag: string): Buffer {
  const out = Buffer.from(tar);
  for (let at = 0; at + 512 <= out.length; at += 512) {
    if (out.subarray(at, at + 100).toString().replace(/\0.*$/s, '') !== name) continue;
    out.write(flag, at + 156, 'latin1');
    out.fill(' ', at + 148, at + 156);
    let sum = 0;
    for (const byte of out.subarray(at, at + 512)) sum += byte;
    out.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    return out;
  }
  throw new Error(`no entry ${name} in the tar`);
}

/** What every refused upload writes before its refusal, replacing a file of the baseline too. */
const GOOD: FixtureEntry[] = [
  { name: 'in', type: 'directory' },
  { name: 'in/good', content: 'good' },
  { name: 'in/link', type: 'symlink', linkname: 'good' },
  { name: 'base/keep', content: 'overwritten' },
  { name: 'top', content: 'top' },
];

interface Refused {
  what: string;
  tar: Buffer;
  query?: string;
  message: RegExp;
}

async function refusedUploads(): Promise<Refused[]> {
  const big = await makeTar([...GOOD, { name: 'big', content: 'z'.repeat(64 * 1024) }]);
  return [
    { what: 'a name climbing out', tar: await makeTar([...GOOD, { name: '../../escape', content: 'x' }]), message: /climbs out of the layer/ },
    { what: 'a path through a symlink of the tar', tar: await makeTar([...GOOD, { name: 'l', type: 'symlink', linkname: '/etc' }, { name: 'l/evil', content: 'x' }]), message: /goes through "l", which is a symbolic link/ },
    { what: 'a hard link to nothing', tar: await makeTar([...GOOD, { name: 'h', type: 'link', linkname: 'nowhere' }]), message: /links to "nowhere", which no earlier entry created/ },
    { what: 'a truncated tar', tar: big.subarray(0, big.length - 1024 - 32 * 1024), message: /not a valid tar stream/ },
    { what: 'an entry type berth does not write', tar: withTypeFlag(await makeTar([...GOOD, { name: 'weird' }]), 'weird', 'V'), message: /unsupported type/ },
    { what: 'a directory swapped for a file', tar: await makeTar([...GOOD, { name: 'base', content: 'file' }]), query: '&noOverwriteDirNonDir=true', message: /cannot overwrite directory ".*\/base" with non-directory/ },
  ];
}

describe('PUT archive is all or nothing', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  let client: Docker;
  const TARGETS = ['/tmp', '/data', '/srv/bind'];

  before(async () => {
    s = await DockerCliSession.start('berth-e2e-atomic-');
    client = new Docker({ socketPath: s.daemon.socketPath });
    const bind = join(s.work, 'bind');
    await mkdir(bind);
    s.ok('create', '--name', 'atomic', '--network', 'none', '-v', 'atomic-data:/data', '-v', `${bind}:/srv/bind`, 'busybox', 'sleep', '1000');
    s.ok('create', '--name', 'owned', '--network', 'none', '--user', 'nobody', 'busybox', 'true');
  });
  after(async () => { await s.close({ volumes: true }); });

  const put = (container: string, path: string, tar: Buffer, query = '') =>
    http(s.daemon.socketPath, 'PUT', `/v1.41/containers/${container}/archive?path=${encodeURIComponent(path)}${query}`, tar, { 'Content-Type': 'application/x-tar' });
  const contents = async (path: string, container = 'atomic'): Promise<Record<string, string>> =>
    entriesOf((await client.getContainer(container).getArchive({ path })) as unknown as Readable);
  /** The container's changes: the paths of its upper dir. */
  const changes = async (): Promise<string[]> => {
    const answer = await http(s.daemon.socketPath, 'GET', '/v1.41/containers/atomic/changes');
    assert.equal(answer.status, 200, answer.body);
    return (JSON.parse(answer.body) as { Path: string; Kind: number }[]).map((c) => `${c.Kind} ${c.Path}`).sort();
  };

  async function refusalsLeaveNothing(): Promise<void> {
    const refused = await refusedUploads();
    for (const target of TARGETS) {
      const baseline = await put('atomic', target, await makeTar([{ name: 'base', type: 'directory' }, { name: 'base/keep', content: 'kept' }, { name: 'base/sub', type: 'directory' }]));
      assert.equal(baseline.status, 200, baseline.body);
      const files = await contents(target);
      const changed = await changes();
      for (const { what, tar, query, message } of refused) {
        const answer = await put('atomic', target, tar, query);
        assert.equal(answer.status, 400, `${what} into ${target}: ${answer.body}`);
        assert.match((JSON.parse(answer.body) as { message: string }).message, message, what);
        assert.deepEqual(await contents(target), files, `${what} into ${target} changed nothing there`);
        assert.deepEqual(await changes(), changed, `${what} into ${target} changed nothing in the root filesystem`);
      }
      const good = await put('atomic', target, await makeTar([...GOOD, { name: 'in/hard', type: 'link', linkname: 'in/good' }, { name: 'base', type: 'directory' }]));
      assert.equal(good.status, 200, good.body);
      const name = target.split('/').at(-1) ?? '';
      const after = await contents(target);
      assert.deepEqual(
        [after[`${name}/in/good`], after[`${name}/in/link`], after[`${name}/base/keep`], after[`${name}/top`], after[`${name}/in/hard`], after[`${name}/base/sub/`]],
        ['file good 0', 'symlink good', 'file overwritten 0', 'file top 0', `link ${name}/in/good`, 'directory'],
      );
      assert.deepEqual(Object.keys(after).filter((entry) => entry.includes('.berth-upload-')), [], 'no staging is left');
    }
  }

  test('refused uploads into a running container change nothing in its root filesystem, volume or bind mount', async () => {
    s.ok('start', 'atomic');
    await refusalsLeaveNothing();
  });

  test('a client that goes away mid-upload leaves nothing behind', async () => {
    const files = await contents('/tmp');
    const changed = await changes();
    const staging = (): string[] => s.ok('exec', 'atomic', 'ls', '-a', '/').split('\n').filter((entry) => entry.startsWith('.berth-upload-'));
    const tar = await makeTar([{ name: 'gone', type: 'directory' }, { name: 'gone/first', content: 'first' }, { name: 'gone/big', content: Buffer.alloc(8 * 1024 * 1024, 1) }]);
    const req = request({
      socketPath: s.daemon.socketPath, method: 'PUT', path: '/v1.41/containers/atomic/archive?path=/tmp',
      headers: { Host: 'docker', 'Content-Type': 'application/x-tar', 'Content-Length': String(tar.length) },
    });
    const ended = new Promise<void>((resolve) => {
      req.on('error', () => { resolve(); });
      req.on('close', () => { resolve(); });
    });
    req.write(tar.subarray(0, tar.length / 2));
    try {
      // Under way: berth has staged the first entries (an engine that writes as it reads has written them).
      await eventually('the upload to be under way', () => staging().length > 0 || s.ok('exec', 'atomic', 'ls', '/tmp').split('\n').includes('gone'));
    } finally {
      req.destroy();
      await ended;
    }
    // The upload holds the container's lock until it has cleaned up: these wait for it.
    assert.deepEqual(await contents('/tmp'), files);
    assert.deepEqual(await changes(), changed);
    assert.deepEqual(staging(), []);
  });

  test('refused uploads into a stopped container change nothing either', async () => {
    s.ok('kill', 'atomic');
    await refusalsLeaveNothing();
  });

  test('copyUIDGID gives the entries the container user\'s ids; without it they keep the tar\'s', async () => {
    const owned = pack();
    owned.entry({ name: 'mine', uid: 1234, gid: 1234, mode: 0o644 }, 'x');
    owned.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of owned) chunks.push(chunk as Buffer);
    const tar = Buffer.concat(chunks);
    assert.equal((await put('owned', '/tmp', tar)).status, 200);
    assert.equal((await contents('/tmp/mine', 'owned')).mine, 'file x 1234');
    assert.equal((await put('owned', '/tmp', tar, '&copyUIDGID=1')).status, 200);
    assert.equal((await contents('/tmp/mine', 'owned')).mine, 'file x 65534');
  });
});
