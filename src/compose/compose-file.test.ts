import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { ComposeFile } from './compose-file.js';
import { checkSchema } from './schema-check.js';

const FILE = `services:
  web:
    image: busybox:\${TAG:-1.36}
    ports:
      - "8080:80"
      - target: eighty
  db:
    image: busybox
    restart: always
`;

test('values are interpolated, keys are not, and fields map back to their lines', () => {
  const file = ComposeFile.parse('/p/compose.yaml', FILE, {});
  const data = file.data as { services: { web: { image: string } } };
  assert.equal(data.services.web.image, 'busybox:1.36');
  assert.equal(file.lineOf(['services', 'web', 'ports', 1]), 6);
  assert.equal(file.lineOf(['services', 'db', 'restart']), 9);
  assert.equal(file.lineOf(['services', 'db', 'nothing', 'here']), 7);
  assert.equal(file.where(['services', 'web', 'ports', 1, 'target']), '/p/compose.yaml:6: services.web.ports[1].target');
});

test('a schema error names the file, the line and the field', () => {
  const file = ComposeFile.parse('/p/compose.yaml', FILE, {});
  assert.throws(() => { checkSchema(file); }, (err: unknown) =>
    isBerthError(err, 'invalid-argument') && err.reason === 'compose-schema' && err.message === '/p/compose.yaml:6: services.web.ports[1].target must be integer');
});

test('an unknown key is reported at its own line', () => {
  const file = ComposeFile.parse('/p/c.yaml', 'services:\n  a:\n    image: x\n\n    colour: red\n', {});
  assert.throws(() => { checkSchema(file); }, /\/p\/c\.yaml:5: services\.a\.colour is not allowed here/);
});

test('an enum and a wrong type at the top level', () => {
  const bad = ComposeFile.parse('/p/c.yaml', 'services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_ready\n', {});
  assert.throws(() => { checkSchema(bad); }, /\/p\/c\.yaml:6: services\.a\.depends_on\.b\.condition must be one of service_started, service_healthy, service_completed_successfully/);
  assert.throws(() => { checkSchema(ComposeFile.parse('/p/c.yaml', 'services: [a, b]\n', {})); }, /\/p\/c\.yaml:1: services must be object/);
});

test('keys newer than the schema package pass: name, include, depends_on required/restart', () => {
  const file = ComposeFile.parse('/p/c.yaml', 'name: x\ninclude: [other.yaml]\nservices:\n  a:\n    image: x\n    depends_on:\n      b: { condition: service_started, required: false, restart: true }\n  b:\n    image: x\n', {});
  checkSchema(file);
});

test('YAML syntax errors name their line', () => {
  assert.throws(() => ComposeFile.parse('/p/c.yaml', 'services:\n  a:\n    image: x\n   bad: [\n', {}), /\/p\/c\.yaml:4: /);
  assert.throws(() => ComposeFile.parse('/p/c.yaml', 'services:\n  a: {}\n  a: {}\n', {}), /\/p\/c\.yaml:3: /);
});
