import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../dockerfile/parse-dockerfile.js';
import type { StageState } from '../stage-state.js';
import { applyConfigInstruction } from './config-steps.js';
import { runCommand } from './run-step.js';

function state(overrides: Partial<StageState> = {}): StageState {
  return { image: undefined, config: { Cmd: ['sh'], Env: ['PATH=/bin'] }, args: new Map(), cmdSet: false, ...overrides };
}
const one = (line: string) => {
  const instruction = parseDockerfile(`FROM x\n${line}\n`).instructions[1];
  assert.ok(instruction);
  return instruction;
};

test('ENTRYPOINT drops an inherited CMD but keeps one set in the stage', () => {
  assert.equal(applyConfigInstruction('Dockerfile', '\\', state(), one('ENTRYPOINT ["/app"]')).config.Cmd, null);
  assert.deepEqual(applyConfigInstruction('Dockerfile', '\\', state({ cmdSet: true }), one('ENTRYPOINT ["/app"]')).config.Cmd, ['sh']);
});

test('shell forms use SHELL; WORKDIR is relative to the previous one; ENV substitutes earlier ENV', () => {
  const shelled = state({ config: { Shell: ['/bin/bash', '-c'] } });
  assert.deepEqual(applyConfigInstruction('Dockerfile', '\\', shelled, one('CMD echo hi')).config.Cmd, ['/bin/bash', '-c', 'echo hi']);
  assert.equal(applyConfigInstruction('Dockerfile', '\\', state({ config: { WorkingDir: '/a' } }), one('WORKDIR b/../c')).config.WorkingDir, '/a/c');
  assert.ok(applyConfigInstruction('Dockerfile', '\\', state(), one('ENV PATH=/usr/bin:$PATH')).config.Env?.includes('PATH=/usr/bin:/bin'));
});

test('HEALTHCHECK NONE, bad durations and flags are errors with the line', () => {
  assert.deepEqual(applyConfigInstruction('Dockerfile', '\\', state(), one('HEALTHCHECK NONE')).config.Healthcheck, { Test: ['NONE'] });
  assert.throws(() => applyConfigInstruction('Dockerfile', '\\', state(), one('HEALTHCHECK --interval=5 CMD true')), /Dockerfile:2: HEALTHCHECK: --interval: invalid duration "5"/);
  assert.throws(() => applyConfigInstruction('Dockerfile', '\\', state(), one('HEALTHCHECK --bogus=1 CMD true')), /unknown flag for HEALTHCHECK: --bogus/);
  assert.throws(() => applyConfigInstruction('Dockerfile', '\\', state(), one('EXPOSE eighty')), /invalid port "eighty"/);
});

test('RUN command lines: exec form, shell form, a heredoc as the script, a heredoc as input', () => {
  assert.deepEqual(runCommand(state(), one('RUN ["echo", "x"]')), ['echo', 'x']);
  assert.deepEqual(runCommand(state(), one('RUN echo x')), ['/bin/sh', '-c', 'echo x']);
  const script = parseDockerfile('FROM x\nRUN <<EOF\necho a\necho b\nEOF\n').instructions[1];
  const input = parseDockerfile('FROM x\nRUN cat <<EOF > /f\nline\nEOF\n').instructions[1];
  assert.ok(script && input);
  assert.deepEqual(runCommand(state(), script), ['/bin/sh', '-c', 'echo a\necho b\n']);
  assert.deepEqual(runCommand(state(), input), ['/bin/sh', '-c', 'cat <<EOF > /f\nline\nEOF']);
});
