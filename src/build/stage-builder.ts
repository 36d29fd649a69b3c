/**
 * Builds one stage: FROM, then each instruction as a step. A step's cache key is its parent
 * image, its history text (after substitution, with the ARG values a RUN sees) and the content it
 * reads; a hit takes the cached image and runs nothing. ARG changes only the stage's variables.
 */
import type { Digest } from '../base/digest.js';
import { BerthError, errors, isBerthError } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import { ownerTag } from '../base/process-alive.js';
import type { ImageRecord } from '../images/image-record.js';
import { hostPlatform, parsePlatform, platformMatches } from '../oci/platform.js';
import { cacheKey, type BuildCache } from './build-cache.js';
import type { CacheSources } from './cache-sources.js';
import { parseDockerfile, type Instruction } from './dockerfile/parse-dockerfile.js';
import { expandWords } from './dockerfile/shell-words.js';
import { platformArgs, type Stage, type StagePlan } from './stage-graph.js';
import { stateLookup, type StageState } from './stage-state.js';
import { applyConfigInstruction, CONFIG_INSTRUCTIONS } from './steps/config-steps.js';
import { planCopy } from './steps/copy-step.js';
import { planRun } from './steps/run-step.js';
import type { StepEnv, StepPlan } from './steps/step-types.js';

export interface StageBuildOptions {
  env: StepEnv;
  cache: BuildCache;
  plan: StagePlan;
  buildArgs: ReadonlyMap<string, string>;
  /** Build args some ARG declared (for the "not consumed" warning). */
  consumed: Set<string>;
  noCache: boolean;
  /** Cache keys this build added (removed again if the build fails). */
  addedKeys: string[];
  /** Step counters, for the result. */
  counts: { cached: number; executed: number };
  /** Cache keys this build used (their last use is recorded at the end). */
  usedKeys: string[];
  /** Number of this stage's FROM among all steps, and the total. */
  firstStep: number;
  totalSteps: number;
  /** The result of an earlier stage (its base). */
  stageResult(index: number): Promise<StageState>;
  /** Extra instructions at the end (the build's --label values). */
  trailing?: Instruction[];
}

export function instructionText(instruction: Instruction): string {
  const flags = instruction.flags.map(([k, v]) => (v === 'true' ? `--${k} ` : `--${k}=${v} `)).join('');
  return `${instruction.keyword} ${flags}${instruction.args}`;
}

export async function buildStage(stage: Stage, options: StageBuildOptions): Promise<StageState> {
  const { env } = options;
  // Each stage follows its own --cache-from image.
  const sources = env.cacheFrom?.forStage();
  let step = options.firstStep;
  env.emit({ kind: 'step', text: `Step ${step}/${options.totalSteps} : ${instructionText(stage.from)}` });
  const state = await fromStage(stage, options);
  env.emit({ kind: 'info', text: ` ---> ${state.image?.id.slice(7, 19) ?? 'scratch'}` });
  const triggers = state.config.OnBuild ?? [];
  let instructions = [...stage.instructions, ...(options.trailing ?? [])];
  if (triggers.length > 0) {
    env.emit({ kind: 'info', text: `# Executing ${triggers.length} build trigger${triggers.length === 1 ? '' : 's'}` });
    instructions = [...parseDockerfile(triggers.join('\n'), `${env.file} (ONBUILD of ${stage.base})`).instructions, ...instructions];
    state.config = { ...state.config, OnBuild: null };
  }
  for (const instruction of instructions) {
    if (!stage.instructions.includes(instruction) && !(options.trailing ?? []).includes(instruction)) {
      env.emit({ kind: 'info', text: ` ---> ${instructionText(instruction)}` });
    } else {
      step++;
      env.emit({ kind: 'step', text: `Step ${step}/${options.totalSteps} : ${instructionText(instruction)}` });
    }
    if (instruction.keyword === 'ARG') {
      declareArgs(state, instruction, options);
      continue;
    }
    const plan = await planStep(env, state, instruction, stage.index);
    await runStep(state, plan, options, sources);
  }
  return state;
}

async function fromStage(stage: Stage, options: StageBuildOptions): Promise<StageState> {
  const { env } = options;
  if (stage.platform !== undefined && stage.platform !== '') {
    const wanted = parsePlatform(stage.platform);
    if (wanted === undefined || !platformMatches(wanted, hostPlatform())) {
      throw errors.invalidArgument('platform-unsupported', `${env.file}:${stage.from.line}: FROM --platform=${stage.platform}: berth builds for this host's platform only`);
    }
  }
  let image: ImageRecord | undefined;
  if (stage.baseStage !== undefined) {
    image = (await options.stageResult(stage.baseStage)).image;
  } else if (stage.base.toLowerCase() !== 'scratch') {
    try {
      image = env.images.resolve(stage.base);
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw err;
      throw errors.notFound('base-image-not-found', `${env.file}:${stage.from.line}: FROM ${stage.base}: no such image here, and berth does not pull from registries yet (berth image load, import or bootstrap it)`, { cause: err });
    }
    for (const text of (await env.admitBase?.(stage.base, image)) ?? []) env.emit({ kind: 'warning', text });
  }
  const config = image === undefined ? {} : ((await env.images.config(image)).config ?? {});
  return { image, config, args: new Map(), cmdSet: false };
}

function declareArgs(state: StageState, instruction: Instruction, options: StageBuildOptions): void {
  const words = expandWords(instruction.args, stateLookup(state), options.env.escape);
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const given = options.buildArgs.get(name);
    options.consumed.add(name);
    const value = given ?? (eq >= 0 ? word.slice(eq + 1) : options.plan.globalArgs.get(name) ?? platformArgs().get(name));
    state.args.set(name, value);
  }
}

async function planStep(env: StepEnv, state: StageState, instruction: Instruction, stageIndex: number): Promise<StepPlan> {
  if (instruction.keyword === 'RUN') return planRun(env, state, instruction, stageIndex);
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') return planCopy(env, state, instruction, stageIndex);
  if (CONFIG_INSTRUCTIONS.has(instruction.keyword)) {
    const change = applyConfigInstruction(env.file, env.escape, state, instruction);
    if (change.cmdSet === true) state.cmdSet = true;
    return {
      createdBy: change.createdBy,
      inputs: [],
      config: change.config,
      historyIdentifies: true,
      execute: (record) => env.images.commit({ parent: state.image, config: change.config, history: { createdBy: change.createdBy }, names: [], alsoRecord: record }),
    };
  }
  throw errors.invalidArgument('dockerfile-parse', `${env.file}:${instruction.line}: ${instruction.keyword} is not allowed here`);
}

async function runStep(state: StageState, plan: StepPlan, options: StageBuildOptions, sources: CacheSources | undefined): Promise<void> {
  const { env, cache } = options;
  if (env.signal?.aborted === true) throw new BerthError('canceled', 'build-canceled', `${env.file}: the build was canceled`);
  const key = cacheKey({ parent: state.image?.id ?? 'scratch', step: plan.createdBy, inputs: plan.inputs });
  const hit = cache.lookup(key);
  // A new entry belongs to this build until it succeeds (a build killed meanwhile takes it along).
  const entry = { stored: false };
  const store = (image: Digest): void => {
    cache.store(key, image, hit === undefined ? ownerTag() : undefined);
    entry.stored = true;
  };
  let cached = hit === undefined || options.noCache ? undefined : env.images.images.find(hit);
  if (cached !== undefined && sources !== undefined && !(await sources.allows(cached))) cached = undefined;
  if (cached === undefined && sources !== undefined && !options.noCache && plan.historyIdentifies) {
    cached = await sources.restore(state.image, plan.createdBy, plan.config, store);
    if (cached !== undefined) {
      if (!entry.stored) store(cached.id);
      if (hit === undefined) options.addedKeys.push(key);
    }
  }
  let image: ImageRecord;
  if (cached !== undefined) {
    env.emit({ kind: 'info', text: ' ---> Using cache' });
    image = cached;
    options.counts.cached++;
    options.usedKeys.push(key);
  } else {
    image = await plan.execute(store);
    if (!entry.stored) store(image.id);
    if (hit === undefined) options.addedKeys.push(key);
    options.counts.executed++;
    failpoint('build-after-step-commit');
  }
  state.image = image;
  state.config = (await env.images.config(image)).config ?? {};
  env.emit({ kind: 'info', text: ` ---> ${image.id.slice(7, 19)}` });
}
