/**
 * Stages of a Dockerfile and what each needs: a stage's base (FROM an earlier stage's name or
 * index) and the stages its `COPY --from` reads. `plan` keeps only the stages the target needs,
 * so a stage nothing needs is not built; stages with no path between them may build at once.
 */
import { errors } from '../base/errors.js';
import { formatPlatform, hostPlatform } from '../oci/platform.js';
import { dockerfileError, flagValue, type Dockerfile, type Instruction } from './dockerfile/parse-dockerfile.js';
import { expandWord, expandWords, type VariableLookup } from './dockerfile/shell-words.js';

export interface Stage {
  index: number;
  /** `AS name`, lower case; undefined when unnamed. */
  name: string | undefined;
  /** The FROM instruction. */
  from: Instruction;
  /** The base after substitution: an image reference, `scratch`, or another stage's name/index. */
  base: string;
  platform: string | undefined;
  /** The instructions after FROM. */
  instructions: Instruction[];
  /** Indexes of the stages this one needs (base, COPY --from), earlier stages only. */
  needs: number[];
  /** Base is another stage (its index). */
  baseStage: number | undefined;
}

export interface StagePlan {
  /** ARGs declared before the first FROM: name → default (undefined: no default). */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
  /** Index of the stage whose image is the result. */
  target: number;
  /** The stages to build, in Dockerfile order. */
  needed: number[];
}

/** BuildKit's automatic platform args (berth builds for the host's platform only). */
export function platformArgs(): Map<string, string> {
  const host = hostPlatform();
  const platform = formatPlatform(host);
  return new Map([
    ['TARGETPLATFORM', platform], ['TARGETOS', host.os], ['TARGETARCH', host.architecture], ['TARGETVARIANT', host.variant ?? ''],
    ['BUILDPLATFORM', platform], ['BUILDOS', host.os], ['BUILDARCH', host.architecture], ['BUILDVARIANT', host.variant ?? ''],
  ]);
}

/** The stage a `--from` / FROM value names among the first `before` stages, if any. */
export function findStage(stages: readonly Stage[], ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  const byName = stages.slice(0, before).find((s) => s.name === lower);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    return index < before ? stages[index] : undefined;
  }
  return undefined;
}

/**
 * Splits the Dockerfile into stages and picks what `target` (a stage name; the last stage when
 * undefined) needs. Throws invalid-argument naming the file and line for a Dockerfile without
 * FROM, an instruction before the first FROM other than ARG, or a duplicate stage name;
 * not-found (`no-such-target`) for an unknown target.
 */
export function planStages(dockerfile: Dockerfile, buildArgs: ReadonlyMap<string, string>, target?: string): StagePlan {
  const { file, escape } = dockerfile;
  const globalArgs = new Map<string, string | undefined>();
  const automatic = platformArgs();
  const lookup: VariableLookup = (name) => buildArgs.get(name) ?? globalArgs.get(name) ?? automatic.get(name);
  const stages: Stage[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === 'FROM') {
      const words = expandWords(instruction.args, lookup, escape);
      const base = words[0];
      if (base === undefined || base === '') dockerfileError(file, instruction.line, 'FROM requires the name of an image (or scratch)');
      let name: string | undefined;
      if (words.length === 3 && words[1]?.toLowerCase() === 'as') name = (words[2] ?? '').toLowerCase();
      else if (words.length !== 1) dockerfileError(file, instruction.line, 'FROM takes an image and optionally "AS name"');
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) dockerfileError(file, instruction.line, `invalid stage name "${name}"`);
      if (name !== undefined && stages.some((s) => s.name === name)) dockerfileError(file, instruction.line, `duplicate stage name "${name}"`);
      const platform = flagValue(instruction, 'platform');
      const index = stages.length;
      const baseStage = findStage(stages, base, index)?.index;
      stages.push({ index, name, from: instruction, base, platform: platform === undefined ? undefined : expandWord(platform, lookup, escape), instructions: [], needs: baseStage === undefined ? [] : [baseStage], baseStage });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current === undefined) {
      if (instruction.keyword !== 'ARG') dockerfileError(file, instruction.line, `${instruction.keyword} before the first FROM (only ARG may come before it)`);
      for (const word of expandWords(instruction.args, lookup, escape)) {
        const eq = word.indexOf('=');
        globalArgs.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? undefined : word.slice(eq + 1));
      }
      continue;
    }
    current.instructions.push(instruction);
    const from = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? flagValue(instruction, 'from') : undefined;
    if (from !== undefined) {
      const source = findStage(stages, expandWord(from, lookup, escape), current.index);
      if (source !== undefined && !current.needs.includes(source.index)) current.needs.push(source.index);
    }
  }
  if (stages.length === 0) throw errors.invalidArgument('dockerfile-parse', `${file}: no FROM instruction`);
  let targetIndex = stages.length - 1;
  if (target !== undefined && target !== '') {
    const found = stages.find((s) => s.name === target.toLowerCase());
    if (found === undefined) throw errors.notFound('no-such-target', `failed to reach build target ${target} in Dockerfile`);
    targetIndex = found.index;
  }
  const needed = new Set<number>();
  const visit = (index: number): void => {
    if (needed.has(index)) return;
    needed.add(index);
    for (const dep of stages[index]?.needs ?? []) visit(dep);
  };
  visit(targetIndex);
  return { globalArgs, stages, target: targetIndex, needed: [...needed].sort((a, b) => a - b) };
}
