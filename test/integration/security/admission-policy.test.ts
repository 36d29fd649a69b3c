// Admission policies on one node: berthd --policy refuses (403, naming rule, field and value, and
// leaving nothing behind), warns (in the create answer's Warnings) or only logs, on create,
// update and pull; SIGHUP reloads the policy; a bad file stops berthd at start; `berth policy
// check` evaluates the same file in-process for CI. Images: busybox bootstrapped from the host,
// a rootfs with a vulnerable npm lockfile, and pulls from berthd's own registry on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berth, berthAt, berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { eventually, leftoverCgroupDirs, testCgroupName } from '../runtime/runtime-fixtures.js';
import { FIXTURES, packageLock } from './security-fixtures.js';

interface Answer { status: number; body: unknown; text: string }

function call(socketPath: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const POLICY = `version: 1
rules:
  - name: no-privileged
    kind: no-privileged
    mode: enforce
  - { name: no-etc, kind: no-bind-mounts, mode: enforce, paths: [/etc] }
  - { name: non-root, kind: non-root, mode: enforce, match: "docker.io/fixture/nonroot" }
  - { name: memory, kind: memory-limit, mode: enforce, max: 256m, match: "docker.io/fixture/limited" }
  - { name: pinned-tags, kind: no-latest, mode: enforce, match: "127.0.0.1:*/**" }
  - { name: digests, kind: digest, mode: warn, match: "127.0.0.1:*/own/busybox" }
  - { name: vulns, kind: vulnerabilities, mode: enforce, severity: HIGH, unscanned: scan, match: ["docker.io/fixture/vulnerable", "127.0.0.1:*/own/vulnerable"] }
  - { name: team-label, kind: required-labels, mode: warn, labels: { team: ~ }, match: "docker.io/fixture/labelled" }
  - { name: caps, kind: capabilities, mode: audit, allow: [] }
`;

describe('admission policy (berthd --policy)', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let policyFile: string;
  let daemon: BerthdProcess | undefined;
  let port: number;
  const cgroupParent = testCgroupName();
  const sock = (): string => join(work, 'berth.sock');
  const create = (body: object, name?: string): Promise<Answer> => call(sock(), 'POST', `/containers/create${name === undefined ? '' : `?name=${name}`}`, body);
  const containerIds = async (): Promise<string[]> => ((await call(sock(), 'GET', '/containers/json?all=1')).body as { Id: string }[]).map((c) => c.Id);
  const message = (answer: Answer): string => (answer.body as { message?: string } | undefined)?.message ?? answer.text;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-admission-'));
    root = join(work, 'root');
    policyFile = join(work, 'policy.yaml');
    await writeFile(policyFile, POLICY);
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    for (const name of ['fixture/nonroot:1', 'fixture/limited:1', 'fixture/labelled:1', 'fixture/plain:1']) await berthOk(root, ['tag', 'busybox', name]);
    const tar = await makeTar([
      { name: 'bin/busybox', content: await readFile('/bin/busybox'), mode: 0o755 },
      { name: 'app/package-lock.json', content: packageLock({ 'ansi-regex': '5.0.0', nanoid: '3.1.30' }) },
    ]);
    await writeFile(join(work, 'vulnerable.tar'), tar);
    await berthOk(root, ['import', join(work, 'vulnerable.tar'), 'fixture/vulnerable:1']);
    const other = await makeTar([
      { name: 'bin/busybox', content: await readFile('/bin/busybox'), mode: 0o755 },
      { name: 'srv/package-lock.json', content: packageLock({ 'ansi-regex': '5.0.0' }) },
    ]);
    await writeFile(join(work, 'vulnerable-2.tar'), other);
    await berthOk(root, ['import', join(work, 'vulnerable-2.tar'), 'fixture/vulnerable:2']);
    await berthOk(root, ['scan', 'db', 'import', join(FIXTURES, 'osv', 'rescan')]);
    port = await freeLoopbackPort();
    daemon = await BerthdProcess.start(root, sock(), ['--cgroup-parent', `/${cgroupParent}`, '--policy', policyFile, '--registry-addr', `127.0.0.1:${port}`]);
  });

  after(async () => {
    if (daemon !== undefined) {
      for (const id of await containerIds().catch(() => [])) await call(sock(), 'DELETE', `/containers/${id}?force=1`).catch(() => undefined);
      await daemon.stop();
    }
    for (const dir of await leftoverCgroupDirs(cgroupParent).catch(() => [])) await rmdir(dir).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  test('a privileged container is refused with 403 naming rule, field and value; nothing is left', async () => {
    const answer = await create({ Image: 'fixture/plain:1', HostConfig: { Privileged: true } }, 'refused-privileged');
    assert.equal(answer.status, 403, answer.text);
    assert.equal(message(answer), 'policy rule "no-privileged" (enforce): HostConfig.Privileged is true');
    assert.deepEqual(await containerIds(), []);
    assert.equal((await call(sock(), 'GET', '/containers/refused-privileged/json')).status, 404);
  });

  test('the docker CLI shows the refusal verbatim', { skip: existsSync('/usr/bin/docker') ? false : 'no docker CLI' }, () => {
    const r = spawnSync('/usr/bin/docker', ['-H', `unix://${sock()}`, 'create', '--privileged', 'fixture/plain:1'], { env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') }, encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error response from daemon: policy rule "no-privileged" \(enforce\): HostConfig\.Privileged is true/);
  });

  test('a bind mount under a forbidden host path is refused, whichever syntax', async () => {
    const binds = await create({ Image: 'fixture/plain:1', HostConfig: { Binds: ['/etc/./ssl:/ssl:ro'] } });
    assert.equal(binds.status, 403, binds.text);
    assert.equal(message(binds), 'policy rule "no-etc" (enforce): HostConfig.Binds mounts the host path "/etc/./ssl" (at /ssl), under the forbidden /etc');
    const mounts = await create({ Image: 'fixture/plain:1', HostConfig: { Mounts: [{ Type: 'bind', Source: '/etc', Target: '/host-etc' }] } });
    assert.equal(mounts.status, 403, mounts.text);
    assert.match(message(mounts), /^policy rule "no-etc" \(enforce\): HostConfig\.Mounts mounts the host path "\/etc"/);
    assert.deepEqual(await containerIds(), []);
  });

  test('non-root: the image\'s user (root) is refused, a non-root --user allowed', async () => {
    const refused = await create({ Image: 'fixture/nonroot:1' });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(message(refused), 'policy rule "non-root" (enforce): Config.User is not set, and the image has no USER (it runs as root)');
    const asRoot = await create({ Image: 'fixture/nonroot:1', User: '0:0' });
    assert.equal(message(asRoot), 'policy rule "non-root" (enforce): Config.User is "0:0", which is root');
    const allowed = await create({ Image: 'fixture/nonroot:1', User: '1000:1000' });
    assert.equal(allowed.status, 201, allowed.text);
    await call(sock(), 'DELETE', `/containers/${(allowed.body as { Id: string }).Id}?force=1`);
  });

  test('memory-limit at create and at update; a refused update changes nothing', async () => {
    const none = await create({ Image: 'fixture/limited:1' });
    assert.equal(none.status, 403, none.text);
    assert.equal(message(none), 'policy rule "memory" (enforce): HostConfig.Memory is not set (a memory limit is required)');
    const ok = await create({ Image: 'fixture/limited:1', HostConfig: { Memory: 64 * 1024 * 1024 } });
    assert.equal(ok.status, 201, ok.text);
    const id = (ok.body as { Id: string }).Id;
    const update = await call(sock(), 'POST', `/containers/${id}/update`, { Memory: 512 * 1024 * 1024 });
    assert.equal(update.status, 403, update.text);
    assert.equal(message(update), `policy rule "memory" (enforce): HostConfig.Memory is ${512 * 1024 * 1024}, above the allowed ${256 * 1024 * 1024} bytes`);
    const inspected = (await call(sock(), 'GET', `/containers/${id}/json`)).body as { HostConfig: { Memory: number } };
    assert.equal(inspected.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal((await call(sock(), 'POST', `/containers/${id}/update`, { Memory: 128 * 1024 * 1024 })).status, 200);
    await call(sock(), 'DELETE', `/containers/${id}?force=1`);
  });

  test('a vulnerable image is scanned at create and refused', async () => {
    const answer = await create({ Image: 'fixture/vulnerable:1' });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(message(answer), 'policy rule "vulns" (enforce): Image "fixture/vulnerable:1" has 1 known vulnerability at or above HIGH (1 HIGH)');
    assert.deepEqual(await containerIds(), []);
  });

  test('warn: created, the warning in the answer (and printed by the docker CLI), logged', async () => {
    const answer = await create({ Image: 'fixture/labelled:1' });
    assert.equal(answer.status, 201, answer.text);
    const warning = 'policy rule "team-label" (warn): Config.Labels has no label "team"';
    assert.deepEqual((answer.body as { Warnings: string[] }).Warnings, [warning]);
    assert.ok(daemon?.log.join('').includes(`berthd: policy: create "fixture/labelled:1": ${warning}`));
    if (existsSync('/usr/bin/docker')) {
      const r = spawnSync('/usr/bin/docker', ['-H', `unix://${sock()}`, 'create', 'fixture/labelled:1'], { env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /WARNING: policy rule "team-label" \(warn\): Config\.Labels has no label "team"/);
    }
    const labelled = await create({ Image: 'fixture/labelled:1', Labels: { team: 'a' } });
    assert.deepEqual((labelled.body as { Warnings: string[] }).Warnings, []);
  });

  test('audit: created without a warning, logged and recorded in the audit trail', async () => {
    const answer = await create({ Image: 'fixture/plain:1', HostConfig: { CapAdd: ['NET_ADMIN'] } });
    assert.equal(answer.status, 201, answer.text);
    assert.deepEqual((answer.body as { Warnings: string[] }).Warnings, []);
    const line = 'policy rule "caps" (audit): HostConfig.CapAdd adds "NET_ADMIN", which is not allowed';
    assert.ok(daemon?.log.join('').includes(`berthd: policy: create "fixture/plain:1": ${line}`), daemon?.log.join(''));
    const trail = await Promise.all((await readdir(join(root, 'audit'))).map((f) => readFile(join(root, 'audit', f), 'utf8')));
    const records = trail.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; decision?: string; violations?: string[] });
    assert.ok(records.some((r) => r.type === 'policy' && r.decision === 'audited' && r.violations?.[0] === line));
    assert.ok(records.some((r) => r.type === 'policy' && r.decision === 'refused' && r.violations?.[0]?.startsWith('policy rule "no-privileged"') === true));
  });

  test('pull: a latest tag is refused before anything is fetched; a pinned tag is pulled', async () => {
    const name = `127.0.0.1:${port}/own/busybox`;
    for (const tag of ['latest', '1']) {
      assert.equal((await berthAt(sock(), ['tag', 'busybox', `${name}:${tag}`])).code, 0);
      const push = await berthAt(sock(), ['push', `${name}:${tag}`]);
      assert.equal(push.code, 0, push.stderr);
      assert.equal((await berthAt(sock(), ['rmi', `${name}:${tag}`])).code, 0);
    }
    const refused = await call(sock(), 'POST', `/images/create?fromImage=${encodeURIComponent(name)}&tag=latest`);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(message(refused), `policy rule "pinned-tags" (enforce): fromImage "${name}:latest" has the tag latest`);
    const names = async (): Promise<string[]> => ((await call(sock(), 'GET', '/images/json')).body as { RepoTags: string[] | null }[]).flatMap((i) => i.RepoTags ?? []);
    assert.ok(!(await names()).includes(`${name}:latest`));
    const pulled = await call(sock(), 'POST', `/images/create?fromImage=${encodeURIComponent(name)}&tag=1`);
    assert.equal(pulled.status, 200, pulled.text);
    assert.doesNotMatch(pulled.text, /errorDetail/);
    const statuses = pulled.text.trim().split('\n').map((line) => (JSON.parse(line) as { status?: string }).status);
    assert.equal(statuses[0], `Warning: policy rule "digests" (warn): fromImage "${name}:1" is not pinned by digest (want name@sha256:…)`);
    assert.ok(daemon?.log.join('').includes(`berthd: policy: pull "${name}:1": policy rule "digests" (warn)`));
    assert.ok((await names()).includes(`${name}:1`));
    if (existsSync('/usr/bin/docker')) {
      const r = spawnSync('/usr/bin/docker', ['-H', `unix://${sock()}`, 'pull', `${name}:latest`], { env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') }, encoding: 'utf8', timeout: 60_000 });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, new RegExp(`Error response from daemon: policy rule "pinned-tags" \\(enforce\\): fromImage "${name.replace(/\./g, '\\.')}:latest" has the tag latest`));
    }
  });

  test('pull: a vulnerable image is scanned once stored, refused, and removed again', async () => {
    const name = `127.0.0.1:${port}/own/vulnerable:2`;
    const id = ((await call(sock(), 'GET', '/images/fixture/vulnerable:2/json')).body as { Id: string }).Id;
    assert.equal((await berthAt(sock(), ['tag', 'fixture/vulnerable:2', name])).code, 0);
    const push = await berthAt(sock(), ['push', name]);
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await berthAt(sock(), ['rmi', name, 'fixture/vulnerable:2'])).code, 0);
    assert.equal((await call(sock(), 'GET', `/images/${id}/json`)).status, 404);
    const pulled = await call(sock(), 'POST', `/images/create?fromImage=${encodeURIComponent(name)}`);
    assert.equal(pulled.status, 200, pulled.text); // the refusal comes after the progress started
    const last = JSON.parse(pulled.text.trim().split('\n').at(-1) ?? '{}') as { error?: string };
    assert.equal(last.error, `policy rule "vulns" (enforce): fromImage "${name}" has 1 known vulnerability at or above HIGH (1 HIGH)`);
    assert.equal((await call(sock(), 'GET', `/images/${id}/json`)).status, 404, 'the refused image is gone');
  });

  test('build: a FROM image the policy refuses fails the build, which leaves no image', async () => {
    const context = join(work, 'context');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), 'FROM fixture/vulnerable:1\nLABEL built=yes\n');
    const build = await berthAt(sock(), ['build', '-t', 'fixture/built:1', context]);
    assert.notEqual(build.code, 0, build.stdout);
    assert.match(build.stderr, /policy rule "vulns" \(enforce\): FROM "fixture\/vulnerable:1" has 1 known vulnerability at or above HIGH/);
    assert.equal((await call(sock(), 'GET', '/images/fixture/built:1/json')).status, 404);
  });

  test('SIGHUP reloads the policy; a bad new file is logged and the old one stays', async () => {
    await writeFile(policyFile, 'rules:\n  - { name: no-host-pid, kind: no-host-namespaces, mode: enforce, namespaces: [pid] }\n');
    daemon?.child.kill('SIGHUP');
    await eventually('the reload', () => daemon?.log.join('').includes(`policy ${policyFile} reloaded: 1 enforce`) === true);
    const pid = await create({ Image: 'fixture/plain:1', HostConfig: { PidMode: 'host' } });
    assert.equal(pid.status, 403, pid.text);
    assert.equal(message(pid), 'policy rule "no-host-pid" (enforce): HostConfig.PidMode is "host"');
    const privileged = await create({ Image: 'fixture/plain:1', HostConfig: { Privileged: true } });
    assert.equal(privileged.status, 201, 'the old rule is gone');

    await writeFile(policyFile, 'rules:\n  - { name: broken, kind: no-privileged, mode: block }\n');
    daemon?.child.kill('SIGHUP');
    await eventually('the refused reload', () => daemon?.log.join('').includes('not reloaded, the previous one stays in force') === true);
    assert.match(daemon?.log.join('') ?? '', /policy\.yaml:2: rule "broken" \(rules\[0\]\): field mode: /);
    assert.equal((await create({ Image: 'fixture/plain:1', HostConfig: { PidMode: 'host' } })).status, 403);
  });

  test('berthd refuses to start with a bad policy file, naming the rule and field', async () => {
    const bad = join(work, 'bad.yaml');
    await writeFile(bad, 'rules:\n  - { kind: no-latest, mode: warn }\n  - name: signed-only\n    kind: signed\n    mode: enforce\n    keys: [missing.pub]\n');
    await assert.rejects(BerthdProcess.start(join(work, 'bad-root'), join(work, 'bad.sock'), ['--cgroup-parent', `/${cgroupParent}`, '--policy', bad]),
      (err: Error) => {
        assert.match(err.message, /^berthd exited 1: /);
        assert.match(err.message, /bad\.yaml:6: rule "signed-only" \(rules\[1\]\): field keys\[0\]: missing\.pub: no such key file/);
        return true;
      });
    assert.ok(!existsSync(join(work, 'bad.sock')));
  });

  test('berth policy check: each broken rule with its mode; exit 1 only for an enforce rule', async () => {
    const check = join(work, 'check.yaml');
    await writeFile(check, POLICY);
    const refused = await berth(root, ['policy', 'check', check, '--image', 'fixture/nonroot:1', '--privileged', '-v', '/etc/passwd:/p', '--cap-add', 'NET_ADMIN']);
    assert.equal(refused.code, 1, refused.stderr);
    const lines = refused.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(lines.map((l) => l.slice(0, 3)), [
      ['MODE', 'RULE', 'FIELD'],
      ['enforce', 'no-privileged', 'HostConfig.Privileged'],
      ['enforce', 'no-etc', 'HostConfig.Binds'],
      ['enforce', 'non-root', 'Config.User'],
      ['audit', 'caps', 'HostConfig.CapAdd'],
      ['fixture/nonroot:1: refused by ' + check],
    ]);
    const vulnerable = await berth(root, ['policy', 'check', check, '--image', 'fixture/vulnerable:1', '--format', 'json']);
    assert.equal(vulnerable.code, 1, vulnerable.stderr);
    const report = JSON.parse(vulnerable.stdout) as { allowed: boolean; imageInStore: boolean; violations: { rule: string; mode: string; detail: string }[] };
    assert.equal(report.allowed, false);
    assert.equal(report.imageInStore, true);
    assert.deepEqual(report.violations.map((v) => `${v.mode} ${v.rule}: ${v.detail}`), ['enforce vulns: "fixture/vulnerable:1" has 1 known vulnerability at or above HIGH (1 HIGH)']);
    const warned = await berth(root, ['policy', 'check', check, '--image', 'fixture/labelled:1', '-u', '1000']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /^warn +team-label +Config\.Labels +has no label "team"$/m);
    assert.match(warned.stdout, /allowed with warnings/);
    const clean = await berth(root, ['policy', 'check', check, '--image', 'fixture/limited:1', '-m', '64m']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout, `fixture/limited:1: allowed by ${check} (no rule broken)\n`);
    const badFile = await berth(root, ['policy', 'check', join(work, 'bad.yaml'), '--image', 'busybox']);
    assert.equal(badFile.code, 2);
    assert.match(badFile.stderr, /bad\.yaml:6: rule "signed-only" \(rules\[1\]\): field keys\[0\]: missing\.pub: no such key file/);
  });
});
