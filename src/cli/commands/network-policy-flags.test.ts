import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policySpecFromFlags } from './network-policy-flags.js';
import { parse } from 'yaml';

const none = { targetLabel: [], from: [], port: [] };

test('flags: the target and one rule from --from (service, label:K=V, address or block) and --port; no --from nor --port: no rule (nothing gets in)', () => {
  assert.deepEqual(policySpecFromFlags('web-in', { ...none, target: 'web', from: ['api', 'label:tier=back', '10.250.0.7', '10.0.0.0/8'], port: ['80', '53/udp'] }), {
    name: 'web-in', target: { service: 'web' },
    ingress: [{ from: [{ service: 'api' }, { labels: { tier: 'back' } }, { cidr: '10.250.0.7/32' }, { cidr: '10.0.0.0/8' }], ports: [{ protocol: 'tcp', port: 80 }, { protocol: 'udp', port: 53 }] }],
  });
  assert.deepEqual(policySpecFromFlags('lock', { ...none, targetLabel: ['tier=front'] }), { name: 'lock', target: { labels: { tier: 'front' } }, ingress: [] });
  assert.throws(() => policySpecFromFlags('x', { ...none }), /--target SERVICE or --target-label/);
  assert.throws(() => policySpecFromFlags('x', { ...none, target: 'web', port: ['http'] }), /--port http: want PORT\[\/tcp\|udp\]/);
});

test('-f: the whole policy from YAML (the name argument wins); flags beside it are refused', () => {
  const yaml = 'name: from-file\ntarget: { service: web }\ningress:\n  - from: [{ service: api }]\n    ports: [{ port: 80 }]\n  - from: [{ cidr: 10.250.0.0/16 }]\n';
  assert.deepEqual(policySpecFromFlags(undefined, none, { document: parse(yaml) as unknown }), { name: 'from-file', target: { service: 'web' }, ingress: [{ from: [{ service: 'api' }], ports: [{ port: 80 }] }, { from: [{ cidr: '10.250.0.0/16' }] }] });
  assert.equal(policySpecFromFlags('renamed', none, { document: parse(yaml) as unknown }).name, 'renamed');
  assert.throws(() => policySpecFromFlags(undefined, { ...none, target: 'web' }, { document: parse(yaml) as unknown }), /-f: the file holds the whole policy; --target cannot be given with it/);
  assert.throws(() => policySpecFromFlags(undefined, none, { document: ['a', 'b'] }), /the file is not a policy/);
});
