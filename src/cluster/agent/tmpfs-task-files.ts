/**
 * TaskFiles on tmpfs: the node's tasks' secret and config files never touch its disk. The run
 * directory (`<state root>/cluster-task-files`, 0700) is itself a tmpfs, and each task that has
 * files gets a tmpfs of its own below it (`<run>/<task id>`, sized to its files), holding one file
 * per secret or config with its owner and mode. Its container gets each file by a read-only bind
 * mount at `/run/secrets/<target>` (secrets) or its target path (configs). Releasing a task
 * unmounts its tmpfs: the files are gone with it.
 */
import { chmod, chown, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { MountConfig } from '../../wire/mounts.js';
import { fileTargetPath, MAX_FILE_OBJECT_BYTES, type FileObjectKind, type FileReference } from '../objects/secret.js';
import type { Task } from '../objects/task.js';
import type { TaskFileData, TaskFiles } from './agent-ports.js';

/** The run directory of a state root's task files. */
export function taskFilesDir(root: string): string {
  return join(root, 'cluster-task-files');
}

export interface TmpfsTaskFilesOptions {
  readonly runner: ProcessRunner;
  /** The run directory (taskFilesDir). */
  readonly dir: string;
}

const TASK_ID = /^[a-z0-9]{1,64}$/;

/** Whether `path` is a mount point of this mount namespace (/proc/self/mountinfo's fifth field). */
async function isMountPoint(path: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const unescape = (field: string): string => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return text.split('\n').some((line) => unescape(line.split(' ')[4] ?? '') === path);
}

export class TmpfsTaskFiles implements TaskFiles {
  constructor(private readonly options: TmpfsTaskFilesOptions) {}

  async prepare(task: Task, data: readonly TaskFileData[]): Promise<readonly MountConfig[]> {
    const { secrets = [], configs = [] } = task.spec.containerSpec;
    const wanted: { kind: FileObjectKind; ref: FileReference }[] = [
      ...secrets.map((ref) => ({ kind: 'secret' as const, ref })),
      ...configs.map((ref) => ({ kind: 'config' as const, ref })),
    ];
    const entries = wanted.map(({ kind, ref }) => {
      const found = data.find((d) => d.kind === kind && d.id === ref.id);
      if (found === undefined) throw errors.failedPrecondition('task-file-data-missing', `the managers sent no data for ${kind} ${ref.name} (${ref.id})`);
      return { kind, ref, bytes: Buffer.from(found.data, 'base64') };
    });
    const dir = await this.#taskDir(task.id, entries.reduce((sum, e) => sum + e.bytes.length, 0));
    return Promise.all(entries.map(async ({ kind, ref, bytes }, i) => {
      const file = join(dir, `${kind}-${i}`);
      await writeFile(file, bytes, { mode: 0o600 });
      await chown(file, Number(ref.uid), Number(ref.gid));
      await chmod(file, ref.mode);
      return { Type: 'bind', Source: file, Target: fileTargetPath(kind, ref.target), ReadOnly: true };
    }));
  }

  async release(taskId: string): Promise<void> {
    if (!TASK_ID.test(taskId)) return;
    const dir = join(this.options.dir, taskId);
    if (await isMountPoint(dir)) await this.options.runner.run('umount', [dir]);
    try {
      await rmdir(dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }

  async list(): Promise<readonly string[]> {
    try {
      return (await readdir(this.options.dir)).filter((name) => TASK_ID.test(name));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
  }

  /** The task's own tmpfs (mounted afresh: files of an earlier attempt go), below the run directory's tmpfs. */
  async #taskDir(taskId: string, bytes: number): Promise<string> {
    if (!TASK_ID.test(taskId)) throw errors.invalidArgument('invalid-task-id', `task id ${taskId}`);
    const run = this.options.dir;
    await mkdir(run, { recursive: true, mode: 0o700 });
    if (!(await isMountPoint(run))) await this.options.runner.run('mount', ['-t', 'tmpfs', '-o', 'mode=0700,size=64m,nosuid,nodev,noexec', 'berth-task-files', run]);
    const dir = join(run, taskId);
    await this.release(taskId);
    await mkdir(dir, { mode: 0o755 });
    const size = Math.min(bytes, 64 * MAX_FILE_OBJECT_BYTES.config) + 64 * 1024;
    await this.options.runner.run('mount', ['-t', 'tmpfs', '-o', `mode=0755,size=${size},nosuid,nodev,noexec`, 'berth-task-files', dir]);
    return dir;
  }
}
