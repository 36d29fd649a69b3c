/** `berth compose` start, stop, restart, kill, rm and exec: the verbs on a project's existing containers. */
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import { LABELS } from '../../compose/compose-labels.js';
import { projectContainers } from '../../compose/project-state.js';
import { dependencyLevels } from '../../compose/up-planner.js';
import { withClient } from '../context.js';
import { printProgress, projectOrName, type ComposeFlags } from './compose-project.js';
import { execAction } from './container-exec.js';

export interface LifecycleComposeFlags extends ComposeFlags { timeout?: string; signal?: string; stop?: boolean; volumes?: boolean; force?: boolean }
export interface ExecComposeFlags extends ComposeFlags { detach?: boolean; disableTty?: boolean; env: string[]; user?: string; workdir?: string; index?: string; privileged?: boolean }

type Verb = 'start' | 'stop' | 'restart' | 'kill' | 'rm';

const DONE: Record<Verb, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted', kill: 'Killed', rm: 'Removed' };

export async function lifecycleAction(globals: GlobalOptions, verb: Verb, services: string[], flags: LifecycleComposeFlags): Promise<void> {
  const project = await projectOrName(flags);
  const timeoutS = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeoutS !== undefined && !Number.isFinite(timeoutS)) throw errors.invalidArgument('usage', `--timeout ${flags.timeout}: seconds expected`);
  const known = new Set(project.services.map((s) => s.name));
  for (const s of services) if (project.services.length > 0 && !known.has(s)) throw errors.notFound('compose-no-service', `no such service: ${s}`);
  // Start in dependency order; stop and remove dependents first.
  const levels = dependencyLevels(project.services);
  if (verb !== 'start') levels.reverse();
  await withClient(globals, async (client) => {
    const all = (await projectContainers(client, project.name)).filter((c) => c.labels[LABELS.oneoff] !== 'True' && (services.length === 0 || services.includes(c.labels[LABELS.service] ?? '')));
    const rank = (service: string): number => levels.findIndex((level) => level.includes(service));
    const groups = [...new Set(all.map((c) => rank(c.labels[LABELS.service] ?? '')))].sort((a, b) => a - b);
    for (const group of groups) {
      await Promise.all(all.filter((c) => rank(c.labels[LABELS.service] ?? '') === group).map(async (c) => {
        const stop = timeoutS === undefined ? {} : { timeoutS };
        if (verb === 'start') await client.containers.start(c.id);
        else if (verb === 'stop') await client.containers.stop(c.id, stop);
        else if (verb === 'restart') await client.containers.restart(c.id, stop);
        else if (verb === 'kill') {
          if (c.state !== 'running') return;
          await client.containers.kill(c.id, flags.signal ?? 'SIGKILL');
        } else {
          if (c.state === 'running' && flags.stop !== true) return;
          if (c.state === 'running') await client.containers.stop(c.id, stop);
          await client.containers.remove(c.id, { volumes: flags.volumes === true });
        }
        printProgress('Container', c.name, DONE[verb]);
      }));
    }
  });
}

export async function execComposeAction(globals: GlobalOptions, service: string, command: string[], flags: ExecComposeFlags): Promise<void> {
  const project = await projectOrName(flags);
  const index = flags.index ?? '1';
  const container = await withClient(globals, async (client) => (await projectContainers(client, project.name))
    .find((c) => c.labels[LABELS.service] === service && c.labels[LABELS.containerNumber] === index && c.labels[LABELS.oneoff] !== 'True' && c.state === 'running'));
  if (container === undefined) throw errors.failedPrecondition('compose-service-not-running', `service "${service}" is not running container #${index}`);
  const tty = flags.disableTty !== true && process.stdin.isTTY;
  await execAction(globals, container.id, command, {
    interactive: flags.detach !== true, tty, env: flags.env,
    ...(flags.detach === true ? { detach: true } : {}),
    ...(flags.user === undefined ? {} : { user: flags.user }),
    ...(flags.workdir === undefined ? {} : { workdir: flags.workdir }),
    ...(flags.privileged === true ? { privileged: true } : {}),
  });
}
