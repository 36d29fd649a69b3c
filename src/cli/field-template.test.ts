import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goFormat, renderFieldTemplate } from './field-template.js';

const container = { State: { Status: 'exited', ExitCode: 3, Running: false }, Name: '/web', Config: { Cmd: ['sh', '-c', 'x'], Labels: { b: '2', a: '1' } }, Mounts: null };

test('inspect -f fields as Go templates print them', () => {
  assert.equal(renderFieldTemplate('{{.State.Status}} {{ .State.ExitCode }} {{.State.Running}}', container), 'exited 3 false');
  assert.equal(renderFieldTemplate('{{json .Config.Cmd}}', container), '["sh","-c","x"]');
  assert.equal(renderFieldTemplate('{{.Config.Labels}} {{.Config.Cmd}}', container), 'map[a:1 b:2] [sh -c x]');
  assert.equal(renderFieldTemplate('{{.Nope.Deeper}} {{.Mounts}} {{json .Nope}}', container), '<no value> <nil> null');
  assert.equal(renderFieldTemplate('id={{.Name}}', container), 'id=/web');
  assert.equal(goFormat([]), '[]');
});

test('other template actions are refused', () => {
  assert.throws(() => renderFieldTemplate('{{range .Mounts}}x{{end}}', container), /not supported/);
  assert.throws(() => renderFieldTemplate('{{index .Config.Cmd 0}}', container), /not supported/);
});
