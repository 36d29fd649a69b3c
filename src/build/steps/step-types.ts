import type { Digest } from '../../base/digest.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ImageRecord } from '../../images/image-record.js';
import type { ImageService } from '../../images/image-service.js';
import type { ContainerConfig } from '../../oci/schemas.js';
import type { CacheMountStore } from '../cache-mounts.js';
import type { CacheSources } from '../cache-sources.js';
import type { BuildContext } from '../context/build-context.js';

/** What a build reports as it goes: Docker's classic lines (`Step 2/5 : RUN …`, ` ---> Using cache`) and step output. */
export interface BuildEvent {
  kind: 'step' | 'info' | 'output' | 'warning';
  text: string;
  /** Output only: the stream the RUN wrote it to (default stdout). */
  stream?: 'stdout' | 'stderr';
  /** Output only: the RUN ended without ending this line (no newline follows `text`). */
  partial?: boolean;
}

/** What the steps of one build share. */
/** A FROM image checked before the stage starts: resolves with warnings, or throws the refusal. */
export type BaseImageAdmission = (reference: string, image: ImageRecord) => Promise<string[]>;

export interface StepEnv {
  images: ImageService;
  engine: ContainerEngine;
  /** Runs the steps' child processes (unpacking ADD archives, mounts of RUN --mount). */
  runner: ProcessRunner;
  /** Whether the node has bridge networking (RUN steps on `bridge` then get the default network). */
  bridgeNetworking: boolean;
  context: BuildContext;
  file: string;
  escape: string;
  emit(event: BuildEvent): void;
  /** The image a `--from` names: an earlier stage's result (built first) or an image in the store. */
  sourceImage(ref: string, stageIndex: number): Promise<ImageRecord | undefined>;
  /** Aborts the build: no new step starts, a running RUN is killed. */
  signal: AbortSignal | undefined;
  /**
   * The network of RUN steps (`build --network`): `bridge` (the default network, as Docker's
   * builds), `none`, `host`, or a user network; a RUN may ask for `none` or `default` with
   * `--network`, and for `host` only when the build runs with host.
   */
  network: BuildNetwork;
  /** `--add-host` entries (`name:ip`) for the /etc/hosts of RUN steps on a bridge or user network. */
  extraHosts: readonly string[];
  /** `--cache-from` images (none: only the node's own cache). */
  cacheFrom?: CacheSources;
  /** The node's admission policy on FROM images (absent: none). */
  admitBase?: BaseImageAdmission;
  /** The build's secrets by id (for `RUN --mount=type=secret`); never part of a key or a layer. */
  secrets: ReadonlyMap<string, Buffer>;
  /** The directories of `RUN --mount=type=cache`. */
  cacheMounts: CacheMountStore;
  /**
   * Clean-up that need not hold up the next step (removing a step's container or temporary
   * layer once its image is made): it runs now, and the build waits for it before it ends,
   * failing if it failed.
   */
  defer(work: () => Promise<void>): void;
}

/** A step ready to run: its cache key inputs, and the work that makes its image. */
export interface StepPlan {
  /** The history entry's created_by; part of the cache key. */
  createdBy: string;
  /** Content digests of what the step reads; part of the cache key. */
  inputs: string[];
  /** The container config of the step's image. */
  config: ContainerConfig;
  /**
   * Whether `createdBy` names all the step depends on besides its parent (no inputs, or their
   * digest is in the text), so that an image's history entry can stand for it (`--cache-from`).
   */
  historyIdentifies: boolean;
  /** Makes the step's image; `record` is its images.commit's `alsoRecord` (the step's cache entry). */
  execute(record: (image: Digest) => void): Promise<ImageRecord>;
}

/** Where a build's RUN steps are networked: the default bridge, none, the host's, or a user network by name or id. */
export type BuildNetwork = 'bridge' | 'none' | 'host' | { network: string };

/** The network as a cache key input and in messages: `bridge`, `none`, `host` or the user network's name. */
export function buildNetworkName(network: BuildNetwork): string {
  return typeof network === 'string' ? network : network.network;
}
