/**
 * The mounts of one RUN, from spec to host: what they add to the step's cache key (at plan time)
 * and what the RUN container gets (at run time), released whatever happens.
 *
 * - bind: the context path (or a path of a stage's or image's filesystem) read-only; `rw` puts a
 *   throw-away overlay over it. The key has the content of what it mounts (as COPY's), or the id
 *   of the image it mounts.
 * - cache: a directory of the CacheMountStore, bind-mounted; its content is in no key and no layer.
 * - secret: the value in a file on a private tmpfs (never on disk), bind-mounted read-only, and/or
 *   an environment variable of the RUN; only the secret's id is in the key.
 * - tmpfs: a tmpfs of the RUN container.
 *
 * Every host-side mount point is its own `tmp/build-<pid>-<random>` entry, so `cleanupTempLayers`
 * unmounts and removes what a killed builder left.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { errors, messageOf } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import { ownerTag } from '../../base/process-alive.js';
import { resolveInRoot } from '../../mount/path-in-root.js';
import type { ImageRecord } from '../../images/image-record.js';
import { performMounts, unmountAll } from '../../mount/mount-table.js';
import type { MountRequest } from '../../volumes/mount-request.js';
import { dockerfileError } from '../dockerfile/parse-dockerfile.js';
import { mountKeyText, type RunMountSpec } from './run-mount-spec.js';
import { TempLayer } from './temp-layer.js';
import type { StepEnv } from './step-types.js';

const log = componentLogger('build');

/** A spec with what plan time found: the image a `from` names. */
export interface ResolvedRunMount {
  spec: RunMountSpec;
  image?: ImageRecord;
}

export interface RunMountPlan {
  mounts: ResolvedRunMount[];
  /** Cache key inputs, one per mount. */
  inputs: string[];
}

/** What the RUN container gets; `release` undoes the host side (idempotent). */
export interface PreparedRunMounts {
  mounts: MountRequest[];
  /** tmpfs targets → mount options (the container's `tmpfs` option). */
  tmpfs: Record<string, string>;
  /** `NAME=value` of secrets given as environment variables. */
  env: string[];
  /** Every target, to remove the mount points runc created from the layer. */
  targets: string[];
  release(): Promise<void>;
}

export async function planRunMounts(env: StepEnv, specs: readonly RunMountSpec[], stageIndex: number, line: number): Promise<RunMountPlan> {
  const mounts: ResolvedRunMount[] = [];
  const inputs: string[] = [];
  for (const spec of specs) {
    const from = spec.type === 'bind' || spec.type === 'cache' ? spec.from : undefined;
    const image = from === undefined ? undefined : await env.sourceImage(from, stageIndex);
    if (from !== undefined && image === undefined) dockerfileError(env.file, line, `RUN --mount: from=${from}: no stage or image of that name`);
    mounts.push({ spec, ...(image !== undefined && { image }) });
    let content = '';
    if (spec.type === 'bind' && image !== undefined) content = `image:${image.id}`;
    else if (spec.type === 'bind') {
      content = await env.context.hash(spec.source, (rel, isDir) => env.context.visible(posix.join(spec.source, rel), isDir)).catch((cause: unknown) => {
        return dockerfileError(env.file, line, `RUN --mount=type=bind: source=${spec.source} is not in the build context (${cause instanceof Error ? cause.message : String(cause)})`);
      });
    } else if (spec.type === 'cache' && image !== undefined) content = `seed:${image.id}`;
    inputs.push(`mount:${mountKeyText(spec)}:${content}`);
  }
  return { mounts, inputs };
}

/** Throws invalid-argument (`build-secret-missing`) naming the line for a required secret nobody gave. */
export async function prepareRunMounts(env: StepEnv, plan: RunMountPlan, line: number): Promise<PreparedRunMounts> {
  const { runner } = env;
  const undo: (() => Promise<void>)[] = [];
  const prepared: PreparedRunMounts = {
    mounts: [], tmpfs: {}, env: [], targets: [],
    release: async () => {
      const steps = undo.splice(0).reverse();
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((err: unknown) => { failures.push(err); });
      const [first, ...more] = failures;
      for (const err of more) log.warn('releasing a RUN mount failed', { err, file: env.file, line }); // the first is thrown
      if (first !== undefined) throw first instanceof Error ? first : new Error(messageOf(first));
    },
  };
  const scratch = async (): Promise<string> => {
    const dir = join(env.images.root.tmp, `build-${ownerTag()}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    undo.push(async () => {
      await unmountAll(runner, dir);
      await rm(dir, { recursive: true, force: true });
    });
    return dir;
  };
  const view = async (image: ImageRecord | undefined): Promise<string | undefined> => {
    if (image === undefined) return undefined;
    const layer = await TempLayer.open(env.images, image);
    undo.push(() => layer.remove());
    return layer.root;
  };
  const bind = (source: string, target: string, readOnly: boolean): void => {
    prepared.mounts.push({ type: 'bind', source, target, readOnly, propagation: 'rprivate', createHostPath: false });
    prepared.targets.push(target);
  };
  let secretDir: string | undefined;
  try {
    for (const { spec, image } of plan.mounts) {
      switch (spec.type) {
        case 'tmpfs':
          prepared.tmpfs[spec.target] = spec.sizeBytes === undefined ? '' : `size=${spec.sizeBytes}`;
          prepared.targets.push(spec.target);
          break;
        case 'bind': {
          const root = await view(image);
          const source = root === undefined ? await env.context.hostPath(spec.source) : await resolveInRoot(root, spec.source);
          if (!spec.readWrite || image !== undefined) {
            // A stage's or image's view is a throw-away layer already: rw writes land there.
            bind(source, spec.target, !spec.readWrite);
            break;
          }
          const merged = await scratch();
          const layers = await scratch();
          await mkdir(join(layers, 'upper'));
          await mkdir(join(layers, 'work'));
          await performMounts(runner, [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${source}`, `upperdir=${join(layers, 'upper')}`, `workdir=${join(layers, 'work')}`] }], merged);
          bind(merged, spec.target, false);
          break;
        }
        case 'cache': {
          const seedRoot = await view(image);
          const lease = await env.cacheMounts.acquire(spec.id, spec.sharing, {
            mode: spec.mode, uid: spec.uid, gid: spec.gid,
            ...(seedRoot !== undefined && {
              seed: async (dir: string) => { await runner.run('cp', ['-a', '--', `${await resolveInRoot(seedRoot, spec.source)}/.`, dir]); },
            }),
          });
          undo.push(() => { lease.release(); return Promise.resolve(); });
          bind(lease.path, spec.target, spec.readOnly);
          break;
        }
        case 'secret': {
          const value = env.secrets.get(spec.id);
          if (value === undefined) {
            if (spec.required) {
              throw errors.invalidArgument('build-secret-missing',
                `${env.file}:${line}: RUN --mount=type=secret: the secret "${spec.id}" is required but the build was given none of that id (berth build --secret id=${spec.id},src=FILE)`,
                { details: { file: env.file, line, secret: spec.id } });
            }
            break;
          }
          if (spec.env !== undefined) prepared.env.push(`${spec.env}=${value.toString('utf8')}`);
          if (spec.target === undefined) break;
          if (secretDir === undefined) {
            secretDir = await scratch();
            await runner.run('mount', ['-t', 'tmpfs', '-o', 'mode=0700,size=16m', 'tmpfs', secretDir]);
          }
          const file = join(secretDir, String(prepared.targets.length));
          await writeFile(file, value, { mode: 0o600 });
          await chown(file, spec.uid, spec.gid);
          await chmod(file, spec.mode);
          bind(file, spec.target, true);
          break;
        }
      }
    }
  } catch (err) {
    await prepared.release().catch(warnOnFailure(log, 'releasing the RUN mounts prepared before a failure', { file: env.file, line }));
    throw err;
  }
  return prepared;
}
