/**
 * Dockerfile builds on the node's engine and image store. `build` parses the Dockerfile, plans
 * the stages the target needs, builds each stage once its dependencies are built (independent
 * stages at the same time), tags the result, and reports Docker's classic progress lines. A
 * failed build leaves the store as it was: the images and cache entries it added are removed,
 * and every container and temporary layer of its steps is gone. So does a build killed with its
 * process, once the next builder opens (unlike Docker's classic builder, whose failed and killed
 * builds leave their last step's image dangling in `docker images`).
 */
import { systemClock, type Clock } from '../base/clock.js';
import { errors, isBerthError } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { ContainerEngine } from '../engine/container-engine.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import type { CompressionOptions } from '../images/compression/layer-compression.js';
import type { NetworkService } from '../network/network-service.js';
import { formatReference, parseTaggedReference } from '../oci/reference.js';
import { join } from 'node:path';
import { BuildCache } from './build-cache.js';
import { CacheSources } from './cache-sources.js';
import { CacheMountStore } from './cache-mounts.js';
import type { BuildContext } from './context/build-context.js';
import type { Instruction } from './dockerfile/parse-dockerfile.js';
import type { StageState } from './stage-state.js';
import { cleanupTempLayers } from './steps/temp-layer.js';
import { removeDeadBuildersContainers } from './steps/step-containers.js';
import type { BaseImageAdmission, BuildEvent, BuildNetwork, StepEnv } from './steps/step-types.js';

export type { BuildEvent } from './steps/step-types.js';

const log = componentLogger('build');

export interface BuildRequest {
  context: BuildContext;
  /** Path of the Dockerfile in the context (default `Dockerfile`). */
  dockerfile?: string;
  /** The Dockerfile's text, when it does not come from the context. */
  dockerfileText?: string;
  /** Names to give the result (`name[:tag]`). */
  tags?: readonly string[];
  buildArgs?: Readonly<Record<string, string>>;
  /** Stage name to stop at (default: the last stage). */
  target?: string;
  noCache?: boolean;
  /** Labels added to the result's config. */
  labels?: Readonly<Record<string, string>>;
  /** The network of RUN steps (default `bridge`; `host` also allows `RUN --network=host`; or a user network). */
  network?: BuildNetwork;
  /** `name:ip` entries for the /etc/hosts of RUN steps (on the default bridge or a user network). */
  extraHosts?: readonly string[];
  /** Images whose history stands for cache entries (`--cache-from`; see cache-sources.ts). */
  cacheFrom?: readonly string[];
  /** Secrets by id for `RUN --mount=type=secret` (kept in memory only). */
  secrets?: ReadonlyMap<string, Buffer>;
  onEvent?: (event: BuildEvent) => void;
  /**
   * The compression the result's layers are stored in (all of them, the base image's too; the
   * image id stays). Default: as the steps made them (new layers uncompressed) and the base had them.
   */
  compression?: CompressionOptions;
  /** Cancels the build (the API aborts it when the client goes away); it then fails with canceled. */
  signal?: AbortSignal;
}

export interface BuildResult {
  image: ImageRecord;
  cachedSteps: number;
  executedSteps: number;
}

/** Build arguments Docker predefines (never reported as unused). */
const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

/**
 * The Dockerfile parser and the stage machinery (the steps), loaded by the first build: a node
 * that never builds does not hold them (opening a builder only cleans up after killed builds).
 */
async function buildMachinery() {
  const [{ parseDockerfile }, { findStage, planStages }, { buildStage }] = await Promise.all([
    import('./dockerfile/parse-dockerfile.js'), import('./stage-graph.js'), import('./stage-builder.js'),
  ]);
  return { parseDockerfile, planStages, findStage, buildStage };
}

/** What a builder works with: the node's image store and engine, given by the composition. */
export interface BuilderServices {
  images: ImageService;
  engine: ContainerEngine;
  /** Runs the steps' child processes. */
  runner: ProcessRunner;
  /** The node's bridge networks (absent: RUN steps have no bridge networking). */
  networks?: NetworkService | undefined;
  /** Asked about each FROM image of the store (the node's admission policy): its warnings, or a refusal thrown. */
  admitBase?: BaseImageAdmission | undefined;
}

export class Builder {
  readonly cache: BuildCache;
  /** The directories of `RUN --mount=type=cache`, kept across builds. */
  readonly cacheMounts: CacheMountStore;

  private readonly images: ImageService;
  private readonly engine: ContainerEngine;
  private readonly runner: ProcessRunner;
  private readonly networks: NetworkService | undefined;
  private readonly admitBase: BaseImageAdmission | undefined;

  private constructor(services: BuilderServices, clock: Clock) {
    const { images } = services;
    this.images = images;
    this.engine = services.engine;
    this.runner = services.runner;
    this.networks = services.networks;
    this.admitBase = services.admitBase;
    this.cache = new BuildCache(images.db, clock, images);
    this.cacheMounts = new CacheMountStore(join(images.root.path, 'build-cache-mounts'));
  }

  /**
   * Removes what killed builders left (step containers, temporary layers, mounts, unpacked
   * contexts, and the cache entries and intermediate images of their unfinished builds).
   */
  static async open(services: BuilderServices, clock: Clock = systemClock): Promise<Builder> {
    await removeDeadBuildersContainers(services.engine);
    await cleanupTempLayers(services.images);
    const builder = new Builder(services, clock);
    if (builder.cache.removeAbandoned() > 0) await services.images.collectGarbage();
    return builder;
  }

  /**
   * Throws invalid-argument naming the Dockerfile line for what it cannot parse or do (and
   * `empty-dockerfile` for an empty one, before any event), failed-precondition
   * (`build-step-failed`) when a RUN exits non-zero, not-found for a missing base image, source,
   * target or network; the store is then as it was before the build.
   */
  async build(request: BuildRequest): Promise<BuildResult> {
    const file = request.dockerfile ?? 'Dockerfile';
    const names = (request.tags ?? []).map((tag) => formatReference(parseTaggedReference(tag)));
    const text = request.dockerfileText ?? (await request.context.readDockerfile(file));
    if (text.length === 0) throw errors.invalidArgument('empty-dockerfile', `the Dockerfile (${file}) cannot be empty`);
    const { parseDockerfile, planStages, findStage, buildStage } = await buildMachinery();
    const dockerfile = parseDockerfile(text, file);
    const network = this.checkNetwork(request.network ?? 'bridge', request.extraHosts ?? []);
    const cacheFrom = request.cacheFrom === undefined || request.cacheFrom.length === 0 || request.noCache === true
      ? undefined : await CacheSources.open(this.images, request.cacheFrom);
    const buildArgs = new Map(Object.entries(request.buildArgs ?? {}));
    const plan = planStages(dockerfile, buildArgs, request.target);
    const emit = request.onEvent ?? (() => undefined);
    const trailing: Instruction[] = Object.keys(request.labels ?? {}).length === 0 ? [] : [{
      keyword: 'LABEL', line: 0, endLine: 0, flags: [], heredocs: [],
      args: Object.entries(request.labels ?? {}).map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`).join(' '),
    }];
    let total = 0;
    const firstStep = new Map<number, number>();
    for (const index of plan.needed) {
      firstStep.set(index, total + 1);
      total += 1 + (plan.stages[index]?.instructions.length ?? 0) + (index === plan.target ? trailing.length : 0);
    }
    const addedKeys: string[] = [];
    const usedKeys: string[] = [];
    const counts = { cached: 0, executed: 0 };
    const consumed = new Set<string>([...plan.globalArgs.keys()]);
    const running = new Map<number, Promise<StageState>>();
    const deferred: Promise<void>[] = [];
    // Stops every stage when the caller cancels or when one stage fails.
    const stop = new AbortController();
    const onCancel = (): void => { stop.abort(); };
    request.signal?.addEventListener('abort', onCancel, { once: true });
    if (request.signal?.aborted === true) stop.abort();
    const stageResult = (index: number): Promise<StageState> => {
      const existing = running.get(index);
      if (existing !== undefined) return existing;
      const stage = plan.stages[index];
      if (stage === undefined) return Promise.reject(errors.internal('no-such-stage', `stage ${index} does not exist`));
      const started = (async () => {
        await Promise.all(stage.needs.map((dep) => stageResult(dep)));
        return buildStage(stage, {
          env, cache: this.cache, plan, buildArgs, consumed, noCache: request.noCache === true, addedKeys, usedKeys, counts,
          firstStep: firstStep.get(index) ?? 1, totalSteps: total, stageResult,
          ...(index === plan.target && { trailing }),
        });
      })();
      // Awaited below (its failure fails the build); until then, not an unhandled rejection.
      started.catch(() => undefined);
      running.set(index, started);
      return started;
    };
    const env: StepEnv = {
      images: this.images, engine: this.engine, runner: this.runner, bridgeNetworking: this.networks !== undefined, context: request.context, file, escape: dockerfile.escape, emit,
      network,
      extraHosts: request.extraHosts ?? [],
      ...(cacheFrom !== undefined && { cacheFrom }),
      ...(this.admitBase !== undefined && { admitBase: this.admitBase }),
      secrets: request.secrets ?? new Map(),
      cacheMounts: this.cacheMounts,
      defer: (work) => {
        const done = work();
        done.catch(() => undefined); // awaited below: its failure fails the build, or is logged when the build failed already
        deferred.push(done);
      },
      signal: stop.signal,
      sourceImage: async (ref, stageIndex) => {
        const stage = findStage(plan.stages, ref, stageIndex);
        if (stage !== undefined) return (await stageResult(stage.index)).image;
        try {
          return this.images.resolve(ref);
        } catch (err) {
          // No such image: the step reports that no stage or image has the name.
          if (!isBerthError(err, 'not-found')) log.warn('looking up a source image failed', { err, ref });
          return undefined;
        }
      },
    };
    try {
      // Every needed stage starts now; each waits only for what it needs.
      const all = plan.needed.map((index) => stageResult(index));
      const [result] = await Promise.all([stageResult(plan.target), ...all]);
      await Promise.all(deferred);
      const built = result.image;
      if (built === undefined) throw errors.invalidArgument('empty-build', `${file}: the build produced no image (FROM scratch with no steps)`);
      const image = request.compression === undefined ? built : await this.compress(built, request.compression, emit);
      const unused = [...buildArgs.keys()].filter((name) => !consumed.has(name) && !PREDEFINED_ARGS.has(name));
      if (unused.length > 0) emit({ kind: 'warning', text: `[Warning] One or more build-args [${unused.join(' ')}] were not consumed` });
      this.cache.touch(usedKeys);
      this.cache.settle(addedKeys);
      for (const name of names) this.images.tag(image.id, name);
      const tagged = this.images.images.find(image.id) ?? image;
      return { image: tagged, cachedSteps: counts.cached, executedSteps: counts.executed };
    } catch (err) {
      stop.abort();
      // The other stages' failures are this one's or the cancellation's: the first is thrown.
      await Promise.allSettled([...running.values()]);
      for (const settled of await Promise.allSettled(deferred)) {
        if (settled.status === 'rejected') log.warn('deferred cleanup of a step failed after the build failed', { err: settled.reason });
      }
      this.cache.remove(addedKeys);
      await this.images.collectGarbage();
      throw err;
    } finally {
      request.signal?.removeEventListener('abort', onCancel);
    }
  }

  /**
   * The build's network, checked before any step: a user network must exist (not-found), and extra
   * hosts need a network the engine writes /etc/hosts for (the default bridge or a user network).
   */
  private checkNetwork(network: BuildNetwork, extraHosts: readonly string[]): BuildNetwork {
    const bridged = typeof network === 'object' || network === 'bridge';
    if (bridged && this.networks === undefined && typeof network === 'object') {
      throw errors.failedPrecondition('no-networking', `networkmode ${network.network}: this node has no bridge networking`);
    }
    if (typeof network === 'object') this.networks?.resolve(network.network);
    if (extraHosts.length > 0 && !bridged) {
      throw errors.invalidArgument('extra-hosts-unsupported', `extrahosts: extra hosts are written for builds on the default bridge or a user network, not with networkmode ${network}`);
    }
    return network;
  }

  /** Stores the result's layers in `compression`, reporting each layer it recompresses. */
  private compress(image: ImageRecord, compression: CompressionOptions, emit: (event: BuildEvent) => void): Promise<ImageRecord> {
    const how = compression.level === undefined ? compression.format : `${compression.format}, level ${compression.level}`;
    return this.images.recompress(image, compression, ({ digest, done }) => {
      if (!done) emit({ kind: 'info', text: ` ---> Compressing layer ${digest.slice(7, 19)} (${how})` });
    });
  }

  /** `builder prune`: every cache entry, the images only the cache kept, and the cache mounts no RUN uses. */
  async prune(): Promise<{ entries: number; spaceReclaimed: number }> {
    const entries = this.cache.remove();
    const collected = await this.images.collectGarbage();
    const mounts = await this.cacheMounts.prune();
    return { entries: entries + mounts.removed, spaceReclaimed: collected.bytesFreed + mounts.bytes };
  }
}
