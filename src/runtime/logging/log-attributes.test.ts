import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLogAttributeOptions, logAttributes, renderTag, type LogInfo } from './log-attributes.js';

const info: LogInfo = {
  containerId: '2c64011084b6' + 'f'.repeat(52),
  containerName: 'tagged',
  imageId: 'sha256:' + 'a'.repeat(64),
  imageName: 'busybox',
  labels: { a: '1', b: '2', 'com.example.x': '3' },
  env: ['E1=x', 'PATH=/bin', 'EMPTY=', 'NOVALUE'],
  command: ['sh', '-c', 'echo hi'],
  hostname: 'node1',
};

test('labels and env name the keys to copy (missing ones are skipped); the regex forms match keys', () => {
  assert.deepEqual(logAttributes({ labels: 'a,zz', env: 'E1,PATH,NOVALUE' }, info), { a: '1', E1: 'x', PATH: '/bin' });
  assert.deepEqual(logAttributes({ 'labels-regex': '^com\\.', 'env-regex': '^EMP' }, info), { 'com.example.x': '3', EMPTY: '' });
  assert.deepEqual(logAttributes({}, info), {});
});

test('tag: a template over the container, as dockerd renders it', () => {
  assert.equal(logAttributes({ tag: '{{.Name}}/{{.ID}}' }, info).tag, 'tagged/2c64011084b6');
  assert.equal(renderTag('{{ .ImageName }}@{{.ImageID}} {{.DaemonName}} {{.Hostname}}: {{.Command}}', info), `busybox@${'a'.repeat(12)} docker node1: sh -c echo hi`);
  assert.equal(renderTag('plain', info), 'plain');
});

test('bad patterns and templates are refused before anything is written', () => {
  assert.throws(() => { checkLogAttributeOptions({ 'labels-regex': '(' }); }, /labels-regex: error parsing regexp/);
  assert.throws(() => { checkLogAttributeOptions({ tag: '{{.Name' }); }, /cannot evaluate/);
  assert.throws(() => { checkLogAttributeOptions({ tag: '{{if .Name}}x{{end}}' }); }, /cannot evaluate/);
  checkLogAttributeOptions({ tag: '{{.FullID}}', 'env-regex': '.*' });
});
