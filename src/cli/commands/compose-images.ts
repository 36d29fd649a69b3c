/** `berth compose` images, top, build, pull and push: per service, through berthd (build, pull and push reuse `berth build|pull|push`). */
import { isAbsolute, join } from 'node:path';
import type { GlobalOptions } from '../args/command-spec.js';
import { errors, isBerthError } from '../../base/errors.js';
import { imageOf, LABELS } from '../../compose/compose-labels.js';
import type { ComposeProject, ServiceConfig } from '../../compose/project-model.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { humanSize, renderTable, shortId } from '../format.js';
import { runBuild } from './build-run.js';
import { composeProject, projectOrName, type ComposeFlags } from './compose-project.js';
import { pull, push } from './registry-actions.js';

export interface ImagesComposeFlags extends ComposeFlags { quiet?: boolean; format?: string }
export interface BuildComposeFlags extends ComposeFlags { noCache?: boolean; buildArg: string[] }
export interface PullComposeFlags extends ComposeFlags { quiet?: boolean; ignoreBuildable?: boolean; ignorePullFailures?: boolean }

function selected(project: ComposeProject, services: string[]) {
  for (const s of services) if (!project.services.some((known) => known.name === s)) throw errors.notFound('compose-no-service', `no such service: ${s}`);
  return project.services.filter((s) => services.length === 0 || services.includes(s.name));
}

export async function imagesComposeAction(globals: GlobalOptions, services: string[], flags: ImagesComposeFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const project = await projectOrName(flags);
  await withClient(globals, async (client) => {
    const list = (await client.containers.list({ all: true, filters: { label: [`${LABELS.project}=${project.name}`] } }))
      .filter((c) => services.length === 0 || services.includes(c.Labels[LABELS.service] ?? ''))
      .sort((a, b) => (a.Names[0] ?? '').localeCompare(b.Names[0] ?? ''));
    const rows = await Promise.all(list.map(async (c) => {
      const image = await client.images.inspect(c.ImageID).catch((err: unknown) => { if (isBerthError(err, 'not-found')) return undefined; throw err; });
      const [repository = '<none>', tag = '<none>'] = (c.Image.includes(':') ? c.Image : `${c.Image}:latest`).split(/:(?=[^:/]*$)/);
      return { ContainerName: (c.Names[0] ?? '').replace(/^\//, ''), Repository: repository, Tag: tag, ID: c.ImageID, Size: image?.Size ?? 0 };
    }));
    if (format === 'json') printJson(rows);
    else if (flags.quiet === true) process.stdout.write([...new Set(rows.map((r) => r.ID))].map((id) => `${id}\n`).join(''));
    else process.stdout.write(`${renderTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows.map((r) => [r.ContainerName, r.Repository, r.Tag, shortId(r.ID), humanSize(r.Size)]))}\n`);
  });
}

export async function topComposeAction(globals: GlobalOptions, services: string[], flags: ComposeFlags): Promise<void> {
  const project = await projectOrName(flags);
  await withClient(globals, async (client) => {
    const list = (await client.containers.list({ filters: { label: [`${LABELS.project}=${project.name}`] } }))
      .filter((c) => services.length === 0 || services.includes(c.Labels[LABELS.service] ?? ''))
      .sort((a, b) => (a.Names[0] ?? '').localeCompare(b.Names[0] ?? ''));
    for (const c of list) {
      const top = await client.containers.top(c.Id);
      process.stdout.write(`${(c.Names[0] ?? '').replace(/^\//, '')}\n${renderTable(top.Titles, top.Processes)}\n\n`);
    }
  });
}

/** Builds the services that have `build:` (all with `force`, else only those whose image berthd lacks), tagged with their image name. */
export async function buildServices(globals: GlobalOptions, project: ComposeProject, services: ServiceConfig[], force: boolean, flags: Partial<BuildComposeFlags> = {}): Promise<void> {
  for (const service of services) {
    const { build } = service;
    if (build === undefined) continue;
    const image = imageOf(project, service);
    if (!force && await withClient(globals, (client) => client.images.inspect(image).then(() => true, (err: unknown) => { if (isBerthError(err, 'not-found')) return false; throw err; }))) continue;
    process.stderr.write(`Building ${service.name}\n`);
    const args = [...Object.entries(build.args ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`)), ...(flags.buildArg ?? [])];
    await runBuild(globals, build.context, {
      tag: [image], buildArg: args, label: [], cache: flags.noCache !== true, progress: 'auto', secret: [], quiet: true,
      ...(build.dockerfile === undefined ? {} : { file: isAbsolute(build.dockerfile) ? build.dockerfile : join(build.context, build.dockerfile) }),
      ...(build.target === undefined ? {} : { target: build.target }),
    });
  }
}

/**
 * Before `up` or `run`: builds the services with `build:` (all with `forceBuild`, else those whose
 * image berthd lacks) and pulls the images of the others as their `pull_policy` says (default:
 * when missing; `always`; `never`).
 */
export async function ensureImages(globals: GlobalOptions, project: ComposeProject, services: ServiceConfig[], forceBuild: boolean): Promise<void> {
  await buildServices(globals, project, services.filter((s) => s.build !== undefined), forceBuild);
  for (const service of services) {
    const policy = service.pull_policy ?? 'missing';
    if (service.build !== undefined || service.image === undefined || policy === 'never') continue;
    const { image } = service;
    const present = policy !== 'always' && await withClient(globals, (client) => client.images.inspect(image).then(() => true, (err: unknown) => { if (isBerthError(err, 'not-found')) return false; throw err; }));
    if (!present) await pull(globals, image, { insecureRegistry: [], quiet: true });
  }
}

export async function buildComposeAction(globals: GlobalOptions, services: string[], flags: BuildComposeFlags): Promise<void> {
  const project = await composeProject(flags);
  await buildServices(globals, project, selected(project, services), true, flags);
}

export async function pullComposeAction(globals: GlobalOptions, services: string[], flags: PullComposeFlags): Promise<void> {
  const project = await composeProject(flags);
  for (const service of selected(project, services)) {
    if (service.image === undefined || (service.build !== undefined && flags.ignoreBuildable === true)) continue;
    try {
      await pull(globals, service.image, { insecureRegistry: [], ...(flags.quiet === true ? { quiet: true } : {}) });
    } catch (err) {
      if (flags.ignorePullFailures !== true || !isBerthError(err)) throw err;
      process.stderr.write(`WARN ${service.name}: ${err.message}\n`);
    }
  }
}

export async function pushComposeAction(globals: GlobalOptions, services: string[], flags: PullComposeFlags): Promise<void> {
  const project = await composeProject(flags);
  for (const service of selected(project, services)) {
    if (service.build === undefined || service.image === undefined) continue;
    await push(globals, service.image, { insecureRegistry: [], ...(flags.quiet === true ? { quiet: true } : {}) });
  }
}
