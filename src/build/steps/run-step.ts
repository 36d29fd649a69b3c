/**
 * RUN: the command runs as a container on the engine (isolated like any container, on the build's
 * network: the default bridge unless the build says `none`, `host` or a user network (whose
 * containers it then resolves by name); `RUN --network=none` opts out, `RUN --network=host` needs
 * a host build) from the stage's current image; its changes become the step's layer. Its output
 * is reported line by line with the stream it came on. The container is removed whatever happens.
 */
import type { Digest } from '../../base/digest.js';
import { BerthError, errors, isBerthError, messageOf } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import { dropRuntimeStubs } from '../../engine/runtime-stubs.js';
import { followLog } from '../../runtime/log-reader.js';
import { checkFlags, dockerfileError, flagValue, type Instruction } from '../dockerfile/parse-dockerfile.js';
import { expandWord, parseExecForm } from '../dockerfile/shell-words.js';
import { DEFAULT_SHELL, runArgs, stateLookup, type StageState } from '../stage-state.js';
import type { ImageRecord } from '../../images/image-record.js';
import type { ContainerConfig } from '../../oci/schemas.js';
import { dropMountStubs } from './mount-stubs.js';
import { parseRunMounts } from './run-mount-spec.js';
import { planRunMounts, prepareRunMounts, type PreparedRunMounts } from './run-mounts.js';
import { buildNetworkName, type BuildNetwork, type StepEnv, type StepPlan } from './step-types.js';
import { BUILD_OWNER_LABEL } from './step-containers.js';
import { ownerTag } from '../../base/process-alive.js';

const log = componentLogger('build');

/** The command line: exec form as given; shell form (heredoc bodies included) through SHELL. */
export function runCommand(state: StageState, instruction: Instruction): string[] {
  const shell = state.config.Shell ?? DEFAULT_SHELL;
  const exec = instruction.heredocs.length === 0 ? parseExecForm(instruction.args) : undefined;
  if (exec !== undefined) return exec;
  const only = instruction.heredocs[0];
  if (instruction.heredocs.length === 1 && only !== undefined && /^<<-?(["']?)[A-Za-z_][A-Za-z0-9_.-]*\1$/.test(instruction.args.trim())) {
    return [...shell, only.content];
  }
  const bodies = instruction.heredocs.map((h) => `\n${h.content}${h.name}`).join('');
  return [...shell, `${instruction.args}${bodies}`];
}

export async function planRun(env: StepEnv, state: StageState, instruction: Instruction, stageIndex: number): Promise<StepPlan> {
  checkFlags(env.file, instruction, ['network', 'mount', 'security']);
  const lookup = stateLookup(state);
  const specs = parseRunMounts(env.file, instruction, (text) => expandWord(text, lookup, env.escape));
  const mountPlan = await planRunMounts(env, specs, stageIndex, instruction.line);
  if (flagValue(instruction, 'security') !== undefined) dockerfileError(env.file, instruction.line, 'RUN --security is not supported');
  const network = runNetwork(env, instruction);
  const command = runCommand(state, instruction);
  const args = runArgs(state);
  const prefix = args.length > 0 ? `|${args.length} ${args.map(([k, v]) => `${k}=${v}`).join(' ')} ` : '';
  const createdBy = `${prefix}${command.join(' ')}`;
  return {
    createdBy,
    // A step's output may depend on its network: off the default bridge it has a key of its own.
    inputs: [...(network === 'bridge' ? [] : [`network=${buildNetworkName(network)}`]), ...mountPlan.inputs],
    config: state.config,
    // What a mount brings in is not in the command line; the network is not either, but Docker's
    // --cache-from does not look at it either.
    historyIdentifies: mountPlan.inputs.length === 0,
    execute: async (record) => {
      const image = state.image;
      if (image === undefined) dockerfileError(env.file, instruction.line, 'RUN needs an image with a shell or program to run (FROM scratch has none)');
      const mounts = await prepareRunMounts(env, mountPlan, instruction.line);
      try {
        return await runContainer(env, instruction, { image, config: state.config, command, createdBy, variables: [...args.map(([k, v]) => `${k}=${v}`), ...mounts.env], network, mounts, record });
      } finally {
        await mounts.release();
      }
    },
  };
}

/** The RUN's network: its `--network` (default, none, host when the build is host) or the build's. */
function runNetwork(env: StepEnv, instruction: Instruction): BuildNetwork {
  const asked = flagValue(instruction, 'network') ?? 'default';
  if (asked === 'default') return env.network;
  if (asked === 'none') return 'none';
  if (asked === 'host' && env.network === 'host') return 'host';
  const allowed = env.network === 'host' ? 'default, none or host' : 'default or none (host needs a build with --network host)';
  return dockerfileError(env.file, instruction.line, `RUN --network=${asked} is not allowed: ${allowed}`);
}

interface RunContainerRequest {
  image: ImageRecord;
  config: ContainerConfig;
  command: string[];
  createdBy: string;
  /** `NAME=value` of the RUN's environment (ARGs it sees, secrets given as variables). */
  variables: string[];
  network: BuildNetwork;
  mounts: PreparedRunMounts;
  /** Recorded with the step's image (its cache entry). */
  record: (image: Digest) => void;
}

/** Runs the command as a container; its changes (mount points dropped) become the new image. */
async function runContainer(env: StepEnv, instruction: Instruction, request: RunContainerRequest): Promise<ImageRecord> {
  const { engine, images } = env;
  const { image, config, command, createdBy, variables, network, mounts, record: alsoRecord } = request;
  const { tmpfs } = mounts;
  // On the default bridge or a user network, with the build's extra /etc/hosts entries.
  const bridged = typeof network === 'object' || (network === 'bridge' && env.bridgeNetworking);
  const record = await engine.create({
    image: image.id,
    options: {
      cmd: command, entrypoint: [''], env: variables, networkMode: network === 'host' ? 'host' : 'none',
      // Whose step this is: a builder killed mid-step leaves it, and the next one removes it.
      labels: { [BUILD_OWNER_LABEL]: ownerTag() },
      ...(Object.keys(tmpfs).length > 0 && { tmpfs }),
    },
    ...(bridged && { network: { mode: typeof network === 'object' ? network.network : 'bridge', extraHosts: [...env.extraHosts] } }),
    ...(mounts.mounts.length > 0 && { mounts: mounts.mounts }),
    // Followed straight from conmon's file (no copy into a driver's files), whole.
    log: { type: 'k8s-file', config: { 'max-size': '-1' } },
  });
  env.emit({ kind: 'info', text: ` ---> Running in ${record.id.slice(0, 12)}` });
  const onAbort = (): void => {
    void engine.kill(record.id).catch((err: unknown) => {
      // Not running (not started yet, exited, removed already): nothing to stop.
      if (!isBerthError(err, 'conflict') && !isBerthError(err, 'not-found')) log.warn('killing a RUN step\'s container on cancel failed', { err, id: record.id });
    });
  };
  let committed = false;
  env.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exited = engine.wait(record.id, 'next-exit');
    const output = new AbortController();
    const streaming = (async () => {
      for await (const entry of followLog(engine.paths.log(record.id), output.signal, {}, exited)) {
        env.emit({ kind: 'output', text: entry.line, stream: entry.stream, ...(entry.partial === true && { partial: true }) });
      }
    })();
    try {
      await engine.start(record.id);
    } catch (err) {
      output.abort();
      await streaming.catch(warnOnFailure(log, 'following a RUN step\'s output', { id: record.id }));
      throw errors.failedPrecondition('build-step-failed', `${env.file}:${instruction.line}: RUN could not start: ${messageOf(err)}`, { cause: err, details: { line: instruction.line } });
    }
    if (env.signal?.aborted === true) onAbort();
    const { exitCode } = await exited;
    await streaming.catch(warnOnFailure(log, 'following a RUN step\'s output', { id: record.id }));
    if (env.signal?.aborted === true) throw new BerthError('canceled', 'build-canceled', `${env.file}:${instruction.line}: the build was canceled`);
    if (exitCode !== 0) {
      throw errors.failedPrecondition('build-step-failed',
        `${env.file}:${instruction.line}: The command '${command.join(' ')}' returned a non-zero code: ${exitCode}`,
        { details: { line: instruction.line, exitCode } });
    }
    await dropRuntimeStubs(images, engine.paths.snapshotKey(record.id), image);
    await dropMountStubs(images, engine.paths.snapshotKey(record.id), mounts.targets);
    // The container's upper directory (its rootfs unmounted at exit) becomes the new layer's.
    const made = await images.commit({
      parent: image,
      layer: () => images.snapshotter.diff(engine.paths.snapshotKey(record.id)),
      adoptSnapshot: engine.paths.snapshotKey(record.id),
      config,
      history: { createdBy },
      names: [],
      alsoRecord,
    });
    committed = true;
    return made;
  } finally {
    env.signal?.removeEventListener('abort', onAbort);
    env.emit({ kind: 'info', text: `Removing intermediate container ${record.id.slice(0, 12)}` });
    // Once the image is made, the next step need not wait for the container to go.
    if (committed) env.defer(() => engine.remove(record.id, { force: true }));
    else await engine.remove(record.id, { force: true });
  }
}
