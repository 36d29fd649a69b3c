import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, policySummary } from './policy-file.js';

const file = (rules: string): string => `version: 1\nrules:\n${rules}`;

describe('parsePolicy', () => {
  it('reads every rule kind, naming unnamed rules after their kind', () => {
    const policy = parsePolicy(file([
      '  - { kind: vulnerabilities, mode: enforce, severity: HIGH, unscanned: scan, match: "docker.io/library/*" }',
      '  - { kind: registries, mode: enforce, allow: [127.0.0.1:5000, "*.example.com"] }',
      '  - { kind: no-latest, mode: warn }',
      '  - { kind: digest, mode: audit, match: [a/*, b/*] }',
      '  - { kind: no-privileged, mode: enforce }',
      '  - { kind: no-host-namespaces, mode: enforce, namespaces: [pid, network] }',
      '  - { kind: no-bind-mounts, mode: enforce, paths: [/etc, /var/run/docker.sock] }',
      '  - { kind: capabilities, mode: enforce, allow: [NET_BIND_SERVICE] }',
      '  - { name: no-root, kind: non-root, mode: warn }',
      '  - { kind: memory-limit, mode: enforce, max: 1g }',
      '  - { kind: required-labels, mode: enforce, labels: { team: ~, env: [prod, staging], tier: web } }',
    ].join('\n')), 'p.yaml');
    assert.deepEqual(policy.rules.map((r) => r.name), [
      'vulnerabilities', 'registries', 'no-latest', 'digest', 'no-privileged', 'no-host-namespaces', 'no-bind-mounts', 'capabilities', 'no-root', 'memory-limit', 'required-labels',
    ]);
    const memory = policy.rules.find((r) => r.kind === 'memory-limit');
    assert.equal(memory?.kind === 'memory-limit' ? memory.max : undefined, 1024 ** 3);
    assert.equal(policy.rules[3]?.patterns?.length, 2);
    assert.equal(policySummary(policy), '8 enforce, 2 warn, 1 audit');
  });

  it('accepts an empty rule list', () => {
    assert.deepEqual(parsePolicy('rules: []\n', 'p.yaml').rules, []);
  });

  it('names the file, line, rule and field of an error', () => {
    const text = file('  - { kind: no-latest, mode: warn }\n  - name: caps\n    kind: capabilities\n    mode: enforce\n    allow: [NET_ADMIN, "bad cap"]\n');
    assert.throws(() => parsePolicy(text, 'p.yaml'), {
      kind: 'invalid-argument', reason: 'invalid-policy-file',
      message: 'p.yaml:7: rule "caps" (rules[1]): field allow[1]: want a capability name such as NET_ADMIN, or ALL',
    });
  });

  it('names a bad mode, a missing field and an unknown field', () => {
    assert.throws(() => parsePolicy(file('  - kind: no-privileged\n    mode: block\n'), 'p.yaml'), /^BerthError: p\.yaml:4: rule rules\[0\]: field mode: Invalid option: expected one of "enforce"\|"warn"\|"audit"$/);
    assert.throws(() => parsePolicy(file('  - name: vulns\n    kind: vulnerabilities\n    mode: enforce\n    severity: HIGH\n'), 'p.yaml'), /p\.yaml:3: rule "vulns" \(rules\[0\]\): field unscanned: /);
    assert.throws(() => parsePolicy(file('  - kind: no-privileged\n    mode: enforce\n    mach: x\n'), 'p.yaml'), /p\.yaml:3: rule rules\[0\]: .*mach/);
    assert.throws(() => parsePolicy(file('  - kind: memory-limit\n    mode: enforce\n    max: lots\n'), 'p.yaml'), /p\.yaml:5: rule rules\[0\]: field max: "lots" is not a size/);
    assert.throws(() => parsePolicy(file('  - kind: no-bind-mounts\n    mode: enforce\n    paths: [etc]\n'), 'p.yaml'), /p\.yaml:5: rule rules\[0\]: field paths\[0\]: want an absolute host path/);
  });

  it('names an unknown rule kind', () => {
    assert.throws(() => parsePolicy(file('  - kind: no-root\n    mode: enforce\n'), 'p.yaml'), /p\.yaml:3: rule rules\[0\]: field kind: missing or unknown rule kind \(want one of vulnerabilities, /);
  });

  it('reads the keys of signature rules relative to the policy file, naming a missing or bad key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-policy-keys-'));
    try {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(join(dir, 'cosign.pub'), publicKey.export({ format: 'pem', type: 'spki' }));
      writeFileSync(join(dir, 'rsa.pub'), generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }));
      const source = join(dir, 'p.yaml');
      const policy = parsePolicy(file('  - name: signed-only\n    kind: signed\n    mode: enforce\n    keys: [cosign.pub]\n'), source);
      assert.equal(policy.rules[0]?.trustedKeys?.[0]?.file, 'cosign.pub');
      assert.throws(() => parsePolicy(file('  - { kind: no-latest, mode: warn }\n  - name: signed-only\n    kind: signed\n    mode: enforce\n    keys: [cosign.pub, gone.pub]\n'), source), {
        reason: 'invalid-policy-file', message: `${source}:7: rule "signed-only" (rules[1]): field keys[1]: gone.pub: no such key file`,
      });
      assert.throws(() => parsePolicy(file('  - { kind: signed, mode: enforce, keys: [rsa.pub] }\n'), source), /rule rules\[0\]: field keys\[0\]: rsa\.pub: only ECDSA P-256 keys are supported/);
      assert.throws(() => parsePolicy(file('  - { kind: signed, mode: enforce, keys: [] }\n'), source), /field keys: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses two rules of one name', () => {
    assert.throws(() => parsePolicy(file('  - { kind: no-latest, mode: warn }\n  - { kind: no-latest, mode: enforce }\n'), 'p.yaml'),
      /p\.yaml:4: rule rules\[1\]: field name: "no-latest" is also the name of rules\[0\] \(a rule without a name is named after its kind\)/);
  });

  it('names bad YAML and a document that is not a policy', () => {
    assert.throws(() => parsePolicy('rules: [\n', 'p.yaml'), /^BerthError: p\.yaml:2: not valid YAML: /);
    assert.throws(() => parsePolicy('rule: []\n', 'p.yaml'), /p\.yaml:1: field (rules|\(document\)): /);
  });
});
