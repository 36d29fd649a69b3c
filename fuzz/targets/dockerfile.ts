/**
 * Dockerfiles: the parser (on dockerfile-ast), stage planning with build args and a target, word
 * expansion of every instruction's arguments, and the config and RUN --mount instructions as a
 * build applies them (without running anything). The input is the Dockerfile text itself.
 */
import { parseDockerfile, type Instruction } from '../../src/build/dockerfile/parse-dockerfile.js';
import { expandWords, keyValuePairs, parseExecForm } from '../../src/build/dockerfile/shell-words.js';
import { planStages } from '../../src/build/stage-graph.js';
import { stateLookup, type StageState } from '../../src/build/stage-state.js';
import { applyConfigInstruction, CONFIG_INSTRUCTIONS } from '../../src/build/steps/config-steps.js';
import { parseRunMounts } from '../../src/build/steps/run-mount-spec.js';
import { refusing } from '../support/refusal.js';

const BUILD_ARGS = new Map([['VERSION', '1.2'], ['BASE', 'busybox']]);

function applyStage(file: string, escape: string, instructions: readonly Instruction[]): void {
  const state: StageState = { image: undefined, config: { Env: ['PATH=/bin'] }, args: new Map([['A', 'x']]), cmdSet: false };
  const lookup = stateLookup(state);
  for (const instruction of instructions) {
    refusing(() => expandWords(instruction.args, lookup, escape));
    refusing(() => keyValuePairs(instruction.args, lookup, escape, true));
    parseExecForm(instruction.args);
    if (instruction.keyword === 'RUN') refusing(() => parseRunMounts(file, instruction));
    if (CONFIG_INSTRUCTIONS.has(instruction.keyword)) {
      const change = refusing(() => applyConfigInstruction(file, escape, state, instruction));
      if (change !== undefined) state.config = change.config;
    }
  }
}

export function fuzz(data: Buffer): void {
  const text = data.toString('utf8');
  const dockerfile = refusing(() => parseDockerfile(text));
  if (dockerfile === undefined) return;
  const plan = refusing(() => planStages(dockerfile, BUILD_ARGS, text.length % 3 === 0 ? 'build' : undefined), ['invalid-argument', 'not-found']);
  if (plan === undefined) return;
  for (const stage of plan.stages) applyStage(dockerfile.file, dockerfile.escape, stage.instructions);
}
