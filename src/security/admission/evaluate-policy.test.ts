import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageFacts } from './admission-facts.js';
import { violationMessage, type AdmissionRequest, type ContainerFacts, type ImageFacts, type PolicyMode } from './admission-request.js';
import { evaluatePolicy, vulnerabilityNeeds } from './evaluate-policy.js';
import { parsePolicy } from './policy-file.js';

const MODES: PolicyMode[] = ['enforce', 'warn', 'audit'];

const policyOf = (rule: string, mode: PolicyMode = 'enforce') => parsePolicy(`rules:\n  - { ${rule}, mode: ${mode} }\n`, 'p.yaml');

const container = (facts: Partial<ContainerFacts> = {}): ContainerFacts => ({
  privileged: false, hostNamespaces: [], binds: [], capAdd: [], user: 'app', memory: 64 << 20, labels: {}, ...facts,
});

const image = (given = 'busybox:1.36', facts: Partial<ImageFacts> = {}): ImageFacts => ({
  ...imageFacts('Image', given), config: { user: 'app', labels: {} }, ...facts,
});

/** An image named by id (`0123abcd`): no reference, only the image's names. */
function namedById(names: string[]): ImageFacts {
  const { reference: _none, ...facts } = image('0123abcd');
  return { ...facts, names };
}

const create = (c: Partial<ContainerFacts> = {}, i: ImageFacts = image()): AdmissionRequest => ({ operation: 'create', image: i, container: container(c) });

/** The messages of `rule` on `request` in each mode: the same finding, with the rule's mode. */
function messagesInEachMode(rule: string, request: AdmissionRequest): string[][] {
  return MODES.map((mode) => evaluatePolicy(policyOf(rule, mode), request).map(violationMessage));
}

function assertRule(rule: string, bad: AdmissionRequest, good: AdmissionRequest, expected: string[]): void {
  const byMode = messagesInEachMode(rule, bad);
  MODES.forEach((mode, i) => {
    assert.deepEqual(byMode[i], expected.map((m) => m.replace('(MODE)', `(${mode})`)), `mode ${mode}`);
    assert.deepEqual(evaluatePolicy(policyOf(rule, mode), good), [], `mode ${mode}, compliant request`);
  });
}

describe('evaluatePolicy: container rules', () => {
  it('no-privileged', () => {
    assertRule('kind: no-privileged', create({ privileged: true }), create(), ['policy rule "no-privileged" (MODE): HostConfig.Privileged is true']);
  });

  it('no-host-namespaces, all or the listed ones', () => {
    assertRule('kind: no-host-namespaces', create({ hostNamespaces: ['pid', 'network', 'userns'] }), create(), [
      'policy rule "no-host-namespaces" (MODE): HostConfig.PidMode is "host"',
      'policy rule "no-host-namespaces" (MODE): HostConfig.NetworkMode is "host"',
      'policy rule "no-host-namespaces" (MODE): HostConfig.UsernsMode is "host"',
    ]);
    assertRule('kind: no-host-namespaces, namespaces: [ipc, uts]', create({ hostNamespaces: ['uts'] }), create({ hostNamespaces: ['pid'] }),
      ['policy rule "no-host-namespaces" (MODE): HostConfig.UTSMode is "host"']);
  });

  it('no-bind-mounts: prefix match on normalised paths, component-wise', () => {
    const rule = 'kind: no-bind-mounts, paths: [/etc/, /var/run/docker.sock]';
    assertRule(rule, create({ binds: [{ source: '/etc//ssl/../passwd', target: '/p', field: 'HostConfig.Binds' }, { source: '/var/run/docker.sock', target: '/s', field: 'HostConfig.Mounts' }] }),
      create({ binds: [{ source: '/etcetera', target: '/x', field: 'HostConfig.Binds' }, { source: '/var/run', target: '/r', field: 'HostConfig.Binds' }] }), [
        'policy rule "no-bind-mounts" (MODE): HostConfig.Binds mounts the host path "/etc//ssl/../passwd" (at /p), under the forbidden /etc',
        'policy rule "no-bind-mounts" (MODE): HostConfig.Mounts mounts the host path "/var/run/docker.sock" (at /s), under the forbidden /var/run/docker.sock',
      ]);
    assert.equal(evaluatePolicy(policyOf('kind: no-bind-mounts, paths: [/]'), create({ binds: [{ source: '/tmp/x', target: '/x', field: 'HostConfig.Binds' }] })).length, 1);
  });

  it('capabilities beyond the list (names with or without CAP_, any case)', () => {
    assertRule('kind: capabilities, allow: [NET_BIND_SERVICE, cap_chown]', create({ capAdd: ['CAP_NET_BIND_SERVICE', 'chown', 'SYS_ADMIN'] }), create({ capAdd: ['net_bind_service'] }),
      ['policy rule "capabilities" (MODE): HostConfig.CapAdd adds "SYS_ADMIN", which is not allowed (allowed: NET_BIND_SERVICE, cap_chown)']);
    assert.equal(evaluatePolicy(policyOf('kind: capabilities, allow: []'), create({ capAdd: ['ALL'] })).length, 1);
  });

  it('non-root: the container\'s user, else the image\'s', () => {
    const rule = 'kind: non-root';
    assertRule(rule, create({ user: '0:0' }), create({ user: '1000' }), ['policy rule "non-root" (MODE): Config.User is "0:0", which is root']);
    assertRule(rule, create({ user: '' }, image('busybox:1.36', { config: { user: '', labels: {} } })), create({ user: '' }, image('busybox:1.36', { config: { user: 'nobody', labels: {} } })),
      ['policy rule "non-root" (MODE): Config.User is not set, and the image has no USER (it runs as root)']);
    assert.deepEqual(evaluatePolicy(policyOf(rule), create({ user: '' }, image('busybox:1.36', { config: { user: 'root:root', labels: {} } }))).map((v) => v.detail),
      ['is not set, and the image\'s USER is "root:root", which is root']);
    const { config: _unknown, ...notStored } = image();
    assert.match(evaluatePolicy(policyOf(rule), create({ user: '' }, notStored))[0]?.detail ?? '', /the image is not in the store/);
  });

  it('memory-limit, with an optional maximum; also on update', () => {
    const { memory: _none, ...unlimited } = container();
    assertRule('kind: memory-limit', { operation: 'create', image: image(), container: unlimited }, create(),
      ['policy rule "memory-limit" (MODE): HostConfig.Memory is not set (a memory limit is required)']);
    assertRule('kind: memory-limit, max: 100m', { operation: 'update', image: image(), container: container({ memory: 200 << 20 }) }, { operation: 'update', image: image(), container: container() },
      [`policy rule "memory-limit" (MODE): HostConfig.Memory is ${200 << 20}, above the allowed ${100 << 20} bytes`]);
  });

  it('required-labels: keys, and values when listed; the image\'s labels count', () => {
    const rule = 'kind: required-labels, labels: { team: ~, env: [prod, staging] }';
    assertRule(rule, create({ labels: { env: 'dev' } }), create({ labels: { env: 'prod' } }, image('busybox:1.36', { config: { user: 'app', labels: { team: 'a' } } })), [
      'policy rule "required-labels" (MODE): Config.Labels has no label "team"',
      'policy rule "required-labels" (MODE): Config.Labels.env is "dev", not one of "prod", "staging"',
    ]);
  });

  it('container rules do not apply to pulls and builds, nor (but memory) to updates', () => {
    const pull: AdmissionRequest = { operation: 'pull', image: image() };
    assert.deepEqual(evaluatePolicy(policyOf('kind: non-root'), pull), []);
    assert.deepEqual(evaluatePolicy(policyOf('kind: no-privileged'), { operation: 'update', image: image(), container: container({ privileged: true }) }), []);
  });
});

describe('evaluatePolicy: image rules', () => {
  it('no-latest: explicit and implicit', () => {
    assertRule('kind: no-latest', create({}, image('busybox')), create({}, image('busybox:1.36')), ['policy rule "no-latest" (MODE): Image "busybox" has no tag, which means latest']);
    assert.deepEqual(evaluatePolicy(policyOf('kind: no-latest'), create({}, image(`busybox:latest@sha256:${'b'.repeat(64)}`))), [], 'pinned by digest');
    assert.deepEqual(evaluatePolicy(policyOf('kind: no-latest'), { operation: 'pull', image: imageFacts('fromImage', '127.0.0.1:5000/app:latest') }).map(violationMessage),
      ['policy rule "no-latest" (enforce): fromImage "127.0.0.1:5000/app:latest" has the tag latest']);
  });

  it('digest: a reference must be pinned', () => {
    const pinned = `busybox@sha256:${'a'.repeat(64)}`;
    assertRule('kind: digest', create({}, image('busybox:1.36')), create({}, image(pinned)), ['policy rule "digest" (MODE): Image "busybox:1.36" is not pinned by digest (want name@sha256:…)']);
  });

  it('registries: the reference\'s registry, globs allowed; by id, one of the image\'s names', () => {
    const rule = 'kind: registries, allow: [127.0.0.1:5000, "*.example.com"]';
    assertRule(rule, create({}, image('busybox:1.36')), create({}, image('registry.example.com/a/b:1')),
      ['policy rule "registries" (MODE): Image "busybox:1.36" is from the registry docker.io, not one of 127.0.0.1:5000, *.example.com']);
    const byId = namedById(['127.0.0.1:5000/app:1']);
    assert.deepEqual(evaluatePolicy(policyOf(rule), create({}, byId)), []);
  });

  it('vulnerabilities: counts at or above the severity; an unscanned image refused or reported as unscannable', () => {
    const counts = { UNKNOWN: 4, LOW: 3, MEDIUM: 0, HIGH: 2, CRITICAL: 1 };
    const rule = 'kind: vulnerabilities, severity: HIGH, unscanned: refuse';
    assertRule(rule, create({}, image('busybox:1.36', { vulnerabilities: { state: 'scanned', counts } })),
      create({}, image('busybox:1.36', { vulnerabilities: { state: 'scanned', counts: { ...counts, HIGH: 0, CRITICAL: 0 } } })),
      ['policy rule "vulnerabilities" (MODE): Image "busybox:1.36" has 3 known vulnerabilities at or above HIGH (1 CRITICAL, 2 HIGH)']);
    assert.deepEqual(evaluatePolicy(policyOf(rule), create({}, image('busybox:1.36', { vulnerabilities: { state: 'unscanned' } }))).map((v) => v.detail),
      ['"busybox:1.36" has not been scanned for vulnerabilities']);
    assert.deepEqual(evaluatePolicy(policyOf('kind: vulnerabilities, severity: LOW, unscanned: scan'), create()).map((v) => v.detail),
      ['"busybox:1.36" could not be scanned for vulnerabilities']);
  });

  it('vulnerabilityNeeds says whether counts are needed and whether to scan', () => {
    assert.deepEqual(vulnerabilityNeeds(policyOf('kind: no-latest'), create()), { needed: false, scan: false });
    assert.deepEqual(vulnerabilityNeeds(policyOf('kind: vulnerabilities, severity: LOW, unscanned: refuse'), create()), { needed: true, scan: false });
    assert.deepEqual(vulnerabilityNeeds(policyOf('kind: vulnerabilities, severity: LOW, unscanned: scan'), create()), { needed: true, scan: true });
  });
});

describe('evaluatePolicy: match', () => {
  it('applies a rule only to images matching one of its patterns (reference or repository, or the image\'s names)', () => {
    const rule = 'kind: no-privileged, match: ["docker.io/library/*"]';
    assert.equal(evaluatePolicy(policyOf(rule), create({ privileged: true }, image('busybox:1.36'))).length, 1);
    assert.equal(evaluatePolicy(policyOf(rule), create({ privileged: true }, image('myorg/app:1'))).length, 0);
    assert.equal(evaluatePolicy(policyOf('kind: no-privileged, match: docker.io/myorg/app'), create({ privileged: true }, image('myorg/app:1'))).length, 1);
    assert.equal(evaluatePolicy(policyOf('kind: no-privileged, match: "docker.io/**"'), create({ privileged: true }, image('myorg/team/app:1'))).length, 1);
    const byId = namedById(['docker.io/library/busybox:1.36']);
    assert.equal(evaluatePolicy(policyOf(rule), create({ privileged: true }, byId)).length, 1);
  });

  it('keeps the file\'s order of rules and reports every broken rule', () => {
    const policy = parsePolicy('rules:\n  - { kind: no-latest, mode: warn }\n  - { kind: no-privileged, mode: enforce }\n  - { kind: memory-limit, mode: audit, max: 1m }\n', 'p.yaml');
    assert.deepEqual(evaluatePolicy(policy, create({ privileged: true }, image('busybox'))).map((v) => `${v.rule}/${v.mode}`), ['no-latest/warn', 'no-privileged/enforce', 'memory-limit/audit']);
  });
});
