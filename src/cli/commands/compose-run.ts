/**
 * `berth compose run SERVICE [COMMAND...]`: a one-off container of a service (labelled oneoff, named
 * `<project>-<service>-run-<slug>`), after bringing up what the service depends on. As docker
 * compose: the service's ports are published only with --service-ports; attached by default, with
 * a TTY when stdin is a terminal; exits with the container's code.
 */
import { randomBytes } from 'node:crypto';
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import { LABELS } from '../../compose/compose-labels.js';
import { containerPlan } from '../../compose/container-config.js';
import { observeState } from '../../compose/project-state.js';
import { realWaiter, waitForCondition } from '../../compose/service-conditions.js';
import { executeUp } from '../../compose/up-executor.js';
import { planUp, withDependencies } from '../../compose/up-planner.js';
import { runAttached } from '../attached-run.js';
import { setExitStatus, withClient } from '../context.js';
import { composeProject, printProgress, type ComposeFlags } from './compose-project.js';
import { envList } from './create-config.js';

export interface RunComposeFlags extends ComposeFlags {
  detach?: boolean; rm?: boolean; name?: string; entrypoint?: string; env: string[]; user?: string; workdir?: string;
  disableTty?: boolean; servicePorts?: boolean; deps: boolean; label: string[];
}

export async function runComposeAction(globals: GlobalOptions, serviceName: string, command: string[], flags: RunComposeFlags): Promise<void> {
  const project = await composeProject(flags);
  const service = project.services.find((s) => s.name === serviceName);
  if (service === undefined) throw errors.notFound('compose-no-service', `no such service: ${serviceName}`);
  const slug = randomBytes(6).toString('hex');
  const name = flags.name ?? `${project.name}-${serviceName}-run-${slug}`;
  const plan = containerPlan(project, service, 1, { oneoff: true, name });
  const tty = flags.disableTty !== true && flags.detach !== true && process.stdin.isTTY;
  const stdin = flags.detach !== true;
  const host = plan.config.HostConfig ?? {};
  plan.config = {
    ...plan.config,
    Labels: { ...plan.config.Labels, [LABELS.slug]: slug, ...Object.fromEntries(flags.label.map((l) => [l.split('=')[0] ?? l, l.split('=').slice(1).join('=')])) },
    Tty: tty, OpenStdin: stdin, StdinOnce: stdin, AttachStdin: stdin, AttachStdout: flags.detach !== true, AttachStderr: flags.detach !== true,
    Env: [...(plan.config.Env ?? []), ...envList(flags.env, process.env)],
    HostConfig: { ...host, AutoRemove: flags.rm === true, RestartPolicy: { Name: 'no' }, ...(flags.servicePorts === true ? {} : { PortBindings: {} }) },
    ...(command.length > 0 ? { Cmd: command } : {}),
    ...(flags.entrypoint === undefined ? {} : { Entrypoint: [flags.entrypoint] }),
    ...(flags.user === undefined ? {} : { User: flags.user }),
    ...(flags.workdir === undefined ? {} : { WorkingDir: flags.workdir }),
  };
  await (await import('./compose-images.js')).ensureImages(globals, project, flags.deps ? withDependencies(project, [serviceName]) : [service], false);
  await withClient(globals, async (client) => {
    // The networks and volumes the one-off needs, and (unless --no-deps) its dependencies meeting their conditions.
    const up = planUp(project, await observeState(client, project.name), { services: [serviceName], scale: {}, forceRecreate: false, noRecreate: true, removeOrphans: false });
    const deps = flags.deps ? up.services.filter((step) => step.service.name !== serviceName) : [];
    const waiter = realWaiter(300_000);
    await executeUp(client, project, { ...up, services: deps, orphans: [] }, { progress: printProgress, waiter });
    if (flags.deps) {
      await Promise.all(Object.entries(service.depends_on).map(([dep, config]) => waitForCondition(client, project, dep, config.condition, { waiter })));
    }
    const { Id } = await client.containers.create(plan.config, plan.name);
    for (const extra of plan.moreNetworks) await client.networks.connect(extra.network, Id, extra.aliases);
    if (flags.detach === true) {
      await client.containers.start(Id);
      process.stdout.write(`${name}\n`);
      return;
    }
    setExitStatus(await runAttached(client, Id, { tty, stdin, autoRemove: flags.rm === true, sigProxy: !tty }));
  });
}
