// Admission rules of kind `signed` on one node (berthd --policy, its own registry on 127.0.0.1):
// a pull of an image no key of the rule signed is refused with 403 before anything is fetched
// (the docker CLI shows the message verbatim) and leaves nothing; a signed image is pulled and
// runs; a create from a name that was re-tagged or built here (no registry digest the signature
// could name) is refused; warn and audit modes allow, warning or only logging; `berth policy check`
// asks the registry for an image the state root does not have; on a cluster manager, a service
// create or update is judged as its tasks' creates will be (403 before anything is stored).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthAt, berthOk, needsRoot, runBerth } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { eventually, leftoverCgroupDirs, testCgroupName } from '../runtime/runtime-fixtures.js';

const PASSWORD = { COSIGN_PASSWORD: 'pw' };

describe('signed-image admission (berthd --policy with kind: signed)', { skip: needsRoot() || dockerCliSkip() }, () => {
  let work: string;
  let root: string;
  let daemon: BerthdProcess | undefined;
  let registry: string;
  const cgroupParent = testCgroupName();
  const sock = (): string => join(work, 'berth.sock');
  const docker = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(DOCKER_CLI, ['-H', `unix://${sock()}`, ...args], { env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') }, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const images = (): string[] => docker('images', '--format', '{{.Repository}}:{{.Tag}}').out.split('\n').filter(Boolean);

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-signed-admission-'));
    root = join(work, 'root');
    const port = await freeLoopbackPort();
    registry = `127.0.0.1:${port}`;
    const keys = await runBerth(['sign', 'generate-key-pair'], { env: PASSWORD, cwd: work });
    assert.equal(keys.code, 0, keys.stderr);
    await writeFile(join(work, 'policy.yaml'), `rules:
  - { name: signed-only, kind: signed, mode: enforce, keys: [cosign.pub], match: "127.0.0.1:*/signed/**" }
  - { name: signed-warn, kind: signed, mode: warn, keys: [cosign.pub], match: "127.0.0.1:*/warned/**" }
  - { name: signed-audit, kind: signed, mode: audit, keys: [cosign.pub], match: "127.0.0.1:*/audited/**" }
  - { name: no-etc, kind: no-bind-mounts, mode: enforce, paths: [/etc] }
  - { name: limits, kind: memory-limit, mode: warn, match: "127.0.0.1:*/signed/app*" }
`);
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    await writeFile(join(work, 'other.tar'), await makeTar([{ name: 'marker', content: 'other' }]));
    await berthOk(root, ['import', join(work, 'other.tar'), 'other:1']);
    daemon = await BerthdProcess.start(root, sock(), ['--cgroup-parent', `/${cgroupParent}`, '--policy', join(work, 'policy.yaml'), '--registry-addr', registry]);
    for (const name of ['signed/app:1', 'signed/unsigned:1', 'warned/app:1', 'audited/app:1']) {
      assert.equal((await berthAt(sock(), ['tag', 'busybox', `${registry}/${name}`])).code, 0);
      const push = await berthAt(sock(), ['push', `${registry}/${name}`]);
      assert.equal(push.code, 0, push.stderr);
      assert.equal((await berthAt(sock(), ['rmi', `${registry}/${name}`])).code, 0);
    }
    const signed = await runBerth(['sign', '--key', 'cosign.key', `${registry}/signed/app:1`], { env: PASSWORD, cwd: work });
    assert.equal(signed.code, 0, signed.stderr);
  });

  after(async () => {
    if (daemon !== undefined) {
      docker('service', 'rm', 'signed-svc');
      await runBerth(['--host', `unix://${sock()}`, 'cluster', 'leave', '--force']).catch(() => undefined);
      const ids = docker('ps', '-aq').out.split('\n').filter(Boolean);
      if (ids.length > 0) docker('rm', '-f', ...ids);
      await daemon.stop();
    }
    for (const dir of await leftoverCgroupDirs(cgroupParent).catch(() => [])) await rmdir(dir).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  test('an unsigned image is refused at pull, the docker CLI showing the 403 verbatim; nothing is stored', () => {
    const refused = docker('pull', `${registry}/signed/unsigned:1`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, new RegExp(`Error response from daemon: policy rule "signed-only" \\(enforce\\): fromImage "${registry}/signed/unsigned:1" is not signed by a key of the rule: no signature for ${registry}/signed/unsigned@sha256:[0-9a-f]{64}`));
    assert.ok(!images().includes(`${registry}/signed/unsigned:1`));
  });

  test('a signed image is pulled and runs', () => {
    const pulled = docker('pull', `${registry}/signed/app:1`);
    assert.equal(pulled.code, 0, pulled.err);
    const ran = docker('run', '--rm', `${registry}/signed/app:1`, 'echo', 'signed and running');
    assert.equal(ran.code, 0, ran.err);
    assert.equal(ran.out, 'signed and running\n');
  });

  test('a create from a name re-tagged or made here is refused: no registry digest to be signed', () => {
    assert.equal(docker('tag', 'other:1', `${registry}/signed/app:1`).code, 0);
    const retagged = docker('create', `${registry}/signed/app:1`);
    assert.notEqual(retagged.code, 0);
    assert.match(retagged.err, new RegExp(`Error response from daemon: policy rule "signed-only" \\(enforce\\): Image "${registry}/signed/app:1" is not signed by a key of the rule: has no digest from ${registry}/signed/app \\(built, loaded or re-tagged on this machine\\)`));
    assert.equal(docker('ps', '-aq').out, '');
    assert.equal(docker('tag', 'busybox', `${registry}/signed/local:1`).code, 0);
    assert.match(docker('create', `${registry}/signed/local:1`).err, /policy rule "signed-only" \(enforce\): .* has no digest from /);
  });

  test('warn allows with the warning; audit allows and only logs', async () => {
    const pulled = docker('pull', `${registry}/warned/app:1`);
    assert.equal(pulled.code, 0, pulled.err);
    const created = docker('create', `${registry}/warned/app:1`);
    assert.equal(created.code, 0, created.err);
    assert.match(created.err, /WARNING: policy rule "signed-warn" \(warn\): Image ".*\/warned\/app:1" is not signed by a key of the rule/);
    assert.equal(docker('pull', `${registry}/audited/app:1`).code, 0);
    const audited = docker('create', `${registry}/audited/app:1`);
    assert.equal(audited.code, 0, audited.err);
    assert.doesNotMatch(audited.err, /WARNING/);
    const line = `berthd: policy: create "${registry}/audited/app:1": policy rule "signed-audit" (audit): Image "${registry}/audited/app:1" is not signed by a key of the rule`;
    await eventually('the audit line in berthd\'s log', () => daemon?.log.join('').includes(line) === true);
  });

  test('berth policy check asks the registry about an image the state root does not have', async () => {
    const check = (image: string): Promise<{ code: number | null; stdout: string }> => runBerth(['--root', join(work, 'empty-root'), 'policy', 'check', join(work, 'policy.yaml'), '--image', image]);
    const unsigned = await check(`${registry}/signed/unsigned:1`);
    assert.equal(unsigned.code, 1, unsigned.stdout);
    assert.match(unsigned.stdout, /signed-only .* is not signed by a key of the rule: no signature for /);
    const signed = await check(`${registry}/signed/app:1`);
    assert.equal(signed.code, 0, signed.stdout);
  });

  test('a cluster manager refuses a service whose tasks the policy would refuse, and warns as at a create', async () => {
    const address = `127.${randomInt(64, 128)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const init = await runBerth(['--host', `unix://${sock()}`, 'cluster', 'init', '--advertise-addr', address, '--listen-addr', `${address}:2377`]);
    assert.equal(init.code, 0, init.stderr);
    const bind = docker('service', 'create', '--name', 'etc-svc', '--mount', 'type=bind,source=/etc,target=/host-etc', `${registry}/signed/app:1`, 'sleep', '1000');
    assert.notEqual(bind.code, 0);
    assert.match(bind.err, /Error response from daemon: policy rule "no-etc" \(enforce\): TaskTemplate\.ContainerSpec\.Mounts mounts the host path "\/etc" \(at \/host-etc\), under the forbidden \/etc/);
    const unsigned = docker('service', 'create', '--name', 'unsigned-svc', `${registry}/signed/unsigned:1`, 'sleep', '1000');
    assert.notEqual(unsigned.code, 0);
    assert.match(unsigned.err, new RegExp(`policy rule "signed-only" \\(enforce\\): TaskTemplate\\.ContainerSpec\\.Image "${registry}/signed/unsigned:1" is not signed by a key of the rule: no signature for `));
    assert.equal(docker('service', 'ls', '-q').out, '', 'nothing stored');
    const created = docker('service', 'create', '--detach', '--name', 'signed-svc', `${registry}/signed/app:1`, 'sleep', '1000');
    assert.equal(created.code, 0, created.err);
    assert.match(created.err, /policy rule "limits" \(warn\): TaskTemplate\.Resources\.Limits\.MemoryBytes is not set \(a memory limit is required\)/);
    const updated = docker('service', 'update', '--detach', '--mount-add', 'type=bind,source=/etc/ssl,target=/ssl', 'signed-svc');
    assert.notEqual(updated.code, 0);
    assert.match(updated.err, /policy rule "no-etc" \(enforce\): TaskTemplate\.ContainerSpec\.Mounts mounts the host path "\/etc\/ssl"/);
    assert.doesNotMatch(docker('service', 'inspect', 'signed-svc', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}').out, /etc/);
  });
});
