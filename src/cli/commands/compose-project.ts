/** The project flags of `berth compose` (-f, -p, --env-file, --profile, --project-directory) → the loaded project; progress lines. */
import { isBerthError } from '../../base/errors.js';
import { loadProject, normalizeProjectName } from '../../compose/project-loader.js';
import type { ComposeProject } from '../../compose/project-model.js';
import type { Progress } from '../../compose/up-executor.js';

export interface ComposeFlags { file: string[]; projectName?: string; projectDirectory?: string; envFile: string[]; profile: string[] }

/** Loads the project the flags name; warnings go to stderr. */
export async function composeProject(flags: ComposeFlags): Promise<ComposeProject> {
  const { project, warnings } = await loadProject({
    files: flags.file, envFiles: flags.envFile, profiles: flags.profile, env: process.env, cwd: process.cwd(),
    ...(flags.projectName === undefined ? {} : { projectName: flags.projectName }),
    ...(flags.projectDirectory === undefined ? {} : { projectDirectory: flags.projectDirectory }),
  });
  for (const warning of warnings) process.stderr.write(`WARN ${warning}\n`);
  return project;
}

/** The project for verbs that also work without a file when `-p` names the project (down, ps, stop, …). */
export async function projectOrName(flags: ComposeFlags): Promise<ComposeProject> {
  try {
    return await composeProject(flags);
  } catch (err) {
    if (!isBerthError(err, 'not-found') || err.reason !== 'compose-no-file' || flags.projectName === undefined) throw err;
    const name = normalizeProjectName(flags.projectName);
    return { name, workingDir: process.cwd(), configFiles: [], services: [], disabledServices: [], networks: {}, volumes: {}, secrets: {}, configs: {}, environment: {} };
  }
}

/** docker compose's progress lines on stderr: ` ✔ Container p-web-1  Started`. */
export const printProgress: Progress = (resource, name, status) => {
  const done = ['Created', 'Started', 'Removed', 'Running', 'Stopped', 'Healthy', 'Exited', 'Killed', 'Restarted'].includes(status);
  process.stderr.write(` ${done ? '✔' : '-'} ${resource} ${name}  ${status}\n`);
};
