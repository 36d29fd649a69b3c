import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerLabelSet, sanitizeLabelName } from './label-names.js';

test('label keys become cAdvisor label names', () => {
  assert.equal(sanitizeLabelName('com.docker.compose.service'), 'com_docker_compose_service');
  assert.equal(sanitizeLabelName('app'), 'app');
  assert.equal(sanitizeLabelName('a-b/c:d é'), 'a_b_c_d__');
  assert.equal(sanitizeLabelName('9lives'), '9lives');
});

test('container labels are prefixed; keys that collide keep the first in code-point order', () => {
  assert.deepEqual(containerLabelSet({ 'com.example.tier': 'web', app: 'shop' }), {
    container_label_app: 'shop',
    container_label_com_example_tier: 'web',
  });
  assert.deepEqual(containerLabelSet({ 'a-b': 'dash', 'a.b': 'dot' }), { container_label_a_b: 'dash' });
  assert.deepEqual(containerLabelSet({ 'a.b': 'dot', 'a-b': 'dash' }), { container_label_a_b: 'dash' });
  assert.deepEqual(containerLabelSet({}), {});
});
