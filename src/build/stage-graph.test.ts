import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile/parse-dockerfile.js';
import { planStages } from './stage-graph.js';

const text = `ARG BASE=busybox
ARG VERSION
FROM \${BASE} AS deps
RUN true
FROM \${BASE} AS tools
RUN true
FROM deps AS build
COPY --from=tools /x /x
FROM \${BASE} AS unrelated
RUN true
FROM scratch
COPY --from=build /x /x
COPY --from=1 /y /y
`;

test('stages, their needs, and only what the target needs', () => {
  const plan = planStages(parseDockerfile(text), new Map());
  assert.deepEqual(plan.stages.map((s) => [s.name, s.base, s.needs]), [
    ['deps', 'busybox', []], ['tools', 'busybox', []], ['build', 'deps', [0, 1]], ['unrelated', 'busybox', []], [undefined, 'scratch', [2, 1]],
  ]);
  assert.equal(plan.target, 4);
  assert.deepEqual(plan.needed, [0, 1, 2, 4]);
  assert.deepEqual([...plan.globalArgs], [['BASE', 'busybox'], ['VERSION', undefined]]);
  const targeted = planStages(parseDockerfile(text), new Map([['BASE', 'alpine']]), 'build');
  assert.deepEqual(targeted.needed, [0, 1, 2]);
  assert.equal(targeted.stages[0]?.base, 'alpine');
});

test('errors: unknown target, instruction before FROM, duplicate names, no FROM', () => {
  assert.throws(() => planStages(parseDockerfile(text), new Map(), 'nope'), /build target nope/);
  assert.throws(() => planStages(parseDockerfile('RUN true\nFROM x\n'), new Map()), /Dockerfile:1: RUN before the first FROM/);
  assert.throws(() => planStages(parseDockerfile('FROM a AS x\nFROM b AS x\n'), new Map()), /Dockerfile:2: duplicate stage name "x"/);
  assert.throws(() => planStages(parseDockerfile('ARG A\n'), new Map()), /no FROM/);
});

test('--platform expands the automatic platform args', () => {
  const plan = planStages(parseDockerfile('FROM --platform=$BUILDPLATFORM busybox\n'), new Map());
  assert.match(plan.stages[0]?.platform ?? '', /^linux\/[a-z0-9]+/);
});
