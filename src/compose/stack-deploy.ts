/**
 * A stack deployed and removed through a manager's berthd, as `docker stack deploy` and `docker
 * stack rm` do it: the networks the stack lacks are made (existing ones are kept as they are),
 * secrets and configs made or their labels updated (their data cannot change: berthd refuses a
 * new value, "only updates to Labels are allowed"), then each service created, or updated when
 * its spec as berthd shows it differs from the file's (a change of its task template rolls its
 * tasks; a service whose spec is unchanged is left alone, its tasks untouched). `prune` removes
 * the stack's services the file no longer names. The stack's objects are found by their label
 * `com.docker.stack.namespace`, so stacks the docker CLI made are the same to berth.
 */
import { readFile } from 'node:fs/promises';
import { BerthError, errors, isBerthError } from '../base/errors.js';
import type { BerthClient } from '../client/berth-client.js';
import type { FileObjectKind } from '../client/file-object-client.js';
import type { SwarmFileReference } from '../wire/swarm-secrets.js';
import type { SwarmService, SwarmServiceSpecInput } from '../wire/swarm.js';
import { STACK_LABELS, type StackFileObject, type StackPlan } from './stack-spec.js';
import { specChanges } from './stack-spec-changes.js';

/** One line of progress (`Creating service shop_web`). */
export type StackProgress = (line: string) => void;

export interface DeployedService {
  name: string;
  id: string;
  outcome: 'created' | 'updated' | 'unchanged';
  /** An update that replaces the service's tasks. */
  rollsTasks: boolean;
}

export interface StackDeployOptions {
  /** Remove the stack's services that the file no longer names. */
  prune: boolean;
}

/** The label filter of a stack's objects. */
export const stackFilter = (stack: string): Record<string, string[]> => ({ label: [`${STACK_LABELS.namespace}=${stack}`] });

const notFound = (err: unknown): boolean => isBerthError(err, 'not-found');

/** `err` with `what` in front of its message, of the same kind. */
function failed(what: string, err: unknown): unknown {
  if (!(err instanceof BerthError)) return err;
  return new BerthError(err.kind, err.reason, `${what}: ${err.message}`, { cause: err, details: err.details });
}

async function dataOf(object: StackFileObject, kind: FileObjectKind): Promise<Buffer> {
  if (object.file !== undefined) {
    try {
      return await readFile(object.file);
    } catch (err) {
      throw errors.invalidArgument('compose-file-object', `${kind}s.${object.key}: cannot read ${object.file}`, { cause: err });
    }
  }
  if (object.content !== undefined) return Buffer.from(object.content);
  throw errors.invalidArgument('compose-file-object', `${kind}s.${object.key}: give it a file, or mark it external`);
}

/** A secret or config by id or name (its id, version and name are what a deploy reads). */
function inspectObject(client: BerthClient, kind: FileObjectKind, ref: string): Promise<{ ID: string; Version: { Index: number } }> {
  return kind === 'secret' ? client.fileObjects.inspect('secret', ref) : client.fileObjects.inspect('config', ref);
}

/** Makes or updates the stack's secrets (or configs); resolves with the id of each, by name, external ones included. */
async function deployFileObjects(client: BerthClient, kind: FileObjectKind, own: readonly StackFileObject[], external: readonly string[], progress: StackProgress): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const object of own) {
    const data = await dataOf(object, kind);
    const existing = await inspectObject(client, kind, object.name).catch((err: unknown) => { if (notFound(err)) return undefined; throw err; });
    if (existing === undefined) {
      progress(`Creating ${kind} ${object.name}`);
      ids.set(object.name, await client.fileObjects.create(kind, { name: object.name, labels: object.labels, data }).catch((err: unknown) => { throw failed(`failed to create ${kind} ${object.name}`, err); }));
      continue;
    }
    await client.fileObjects.updateLabels(kind, existing.ID, existing.Version.Index, object.name, object.labels, data)
      .catch((err: unknown) => { throw failed(`failed to update ${kind} ${object.name} (a ${kind}'s data cannot change: give the new one another name)`, err); });
    ids.set(object.name, existing.ID);
  }
  for (const name of external) {
    const found = await inspectObject(client, kind, name).catch((err: unknown) => {
      if (notFound(err)) throw errors.notFound(`stack-external-${kind}`, `${kind} not found: ${name} (it is declared external: create it before the stack is deployed)`);
      throw err;
    });
    ids.set(name, found.ID);
  }
  return ids;
}

/** The networks the stack lacks, made; resolves with the id of each network the services use, by name. */
async function deployNetworks(client: BerthClient, plan: StackPlan, progress: StackProgress): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const name of plan.externalNetworks) {
    const network = await client.networks.inspect(name).catch((err: unknown) => {
      if (notFound(err)) throw errors.notFound('stack-external-network', `network "${name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`);
      throw err;
    });
    if (network.Scope !== 'swarm') throw errors.invalidArgument('stack-external-network', `network "${name}" is declared as external, but it is not in the right scope: "${network.Scope}" instead of "swarm"`);
    ids.set(name, network.Id);
  }
  const existing = new Map((await client.networks.list(stackFilter(plan.name))).map((n) => [n.Name, n.Id]));
  for (const network of plan.networks) {
    const id = existing.get(network.name);
    if (id !== undefined) {
      ids.set(network.name, id);
      continue;
    }
    progress(`Creating network ${network.name}`);
    const created = await client.networks.create(network.create).catch((err: unknown) => { throw failed(`failed to create network ${network.name}`, err); });
    ids.set(network.name, created.Id);
  }
  return ids;
}

/** `spec` with its networks, secrets and configs named by id (as berthd shows them). */
function withIds(spec: SwarmServiceSpecInput, networks: ReadonlyMap<string, string>, secrets: ReadonlyMap<string, string>, configs: ReadonlyMap<string, string>): SwarmServiceSpecInput {
  const template = spec.TaskTemplate ?? {};
  const container = template.ContainerSpec ?? {};
  const refs = (list: readonly SwarmFileReference[] | null | undefined, ids: ReadonlyMap<string, string>, kind: 'Secret' | 'Config'): SwarmFileReference[] | undefined =>
    list?.map((ref) => {
      const name = ref[`${kind}Name`] ?? '';
      return { File: ref.File, [`${kind}ID`]: ids.get(name) ?? '', [`${kind}Name`]: name };
    });
  const secretRefs = refs(container.Secrets as SwarmFileReference[] | null | undefined, secrets, 'Secret');
  const configRefs = refs(container.Configs as SwarmFileReference[] | null | undefined, configs, 'Config');
  return {
    ...spec,
    TaskTemplate: {
      ...template,
      ContainerSpec: { ...container, ...(secretRefs === undefined ? {} : { Secrets: secretRefs }), ...(configRefs === undefined ? {} : { Configs: configRefs }) },
      Networks: (template.Networks ?? []).map((n) => ({ ...n, Target: networks.get(n.Target ?? '') ?? n.Target ?? '' })),
    },
  };
}

function warn(warnings: string[] | null, progress: StackProgress): void {
  for (const warning of warnings ?? []) progress(`WARNING: ${warning}`);
}

/** Deploys `plan` (see the module comment); resolves with what became of each service, by name. */
export async function deployStack(client: BerthClient, plan: StackPlan, options: StackDeployOptions, progress: StackProgress): Promise<DeployedService[]> {
  const current = await client.cluster.listServices(stackFilter(plan.name));
  const networks = await deployNetworks(client, plan, progress);
  const secrets = await deployFileObjects(client, 'secret', plan.secrets, plan.externalSecrets, progress);
  const configs = await deployFileObjects(client, 'config', plan.configs, plan.externalConfigs, progress);
  const deployed: DeployedService[] = [];
  for (const service of [...plan.services].sort((a, b) => a.name.localeCompare(b.name))) {
    const spec = withIds(service.spec, networks, secrets, configs);
    const existing = current.find((s) => s.Spec.Name === service.name);
    if (existing === undefined) {
      progress(`Creating service ${service.name}`);
      const created = await client.cluster.createService(spec).catch((err: unknown) => { throw failed(`failed to create service ${service.name}`, err); });
      warn(created.Warnings, progress);
      deployed.push({ name: service.name, id: created.ID, outcome: 'created', rollsTasks: false });
      continue;
    }
    const keep = keptFields(existing, service.replicasGiven);
    const next = { ...spec, ...(keep.mode === undefined ? {} : { Mode: keep.mode }), TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: keep.forceUpdate } };
    const changes = specChanges(next, existing.Spec);
    if (changes.fields.length === 0) {
      progress(`Service ${service.name} is up to date`);
      deployed.push({ name: service.name, id: existing.ID, outcome: 'unchanged', rollsTasks: false });
      continue;
    }
    progress(`Updating service ${service.name} (id: ${existing.ID})`);
    const updated = await client.cluster.updateService(existing.ID, existing.Version.Index, next).catch((err: unknown) => { throw failed(`failed to update service ${service.name}`, err); });
    warn(updated.Warnings, progress);
    deployed.push({ name: service.name, id: existing.ID, outcome: 'updated', rollsTasks: changes.rollsTasks });
  }
  if (options.prune) {
    const wanted = new Set(plan.services.map((s) => s.name));
    for (const service of current.filter((s) => !wanted.has(s.Spec.Name))) {
      progress(`Removing service ${service.Spec.Name}`);
      await client.cluster.removeService(service.ID).catch((err: unknown) => { if (!notFound(err)) throw err; });
    }
  }
  return deployed;
}

/**
 * What an update keeps of the service as it is: its ForceUpdate counter (a deploy never forces),
 * and its replicas when the file gives none (a service scaled since stays so), as docker's deploy.
 */
function keptFields(existing: SwarmService, replicasGiven: boolean): { forceUpdate: number; mode?: SwarmServiceSpecInput['Mode'] } {
  const forceUpdate = existing.Spec.TaskTemplate.ForceUpdate;
  const mode = existing.Spec.Mode;
  if (replicasGiven || !('Replicated' in mode)) return { forceUpdate };
  return { forceUpdate, mode: { Replicated: { Replicas: mode.Replicated.Replicas } } };
}

/**
 * Removes the stack's services, secrets, configs and networks, in that order, as `docker stack
 * rm`; not-found ("Nothing found in stack") when it has none. Every removal is tried; a failure
 * is reported and, at the end, the call fails naming the stack.
 */
export async function removeStack(client: BerthClient, stack: string, progress: StackProgress, report: (problem: string) => void): Promise<void> {
  const filter = stackFilter(stack);
  const [services, secrets, configs, networks] = await Promise.all([
    client.cluster.listServices(filter),
    client.fileObjects.list('secret', filter),
    client.fileObjects.list('config', filter),
    client.networks.list(filter),
  ]);
  if (services.length + secrets.length + configs.length + networks.length === 0) throw errors.notFound('stack-not-found', `Nothing found in stack: ${stack}`);
  let failures = 0;
  const attempt = async (what: string, id: string, remove: () => Promise<void>): Promise<void> => {
    progress(`Removing ${what}`);
    try {
      await remove();
    } catch (err) {
      if (notFound(err)) return;
      failures += 1;
      report(`Failed to remove ${what.split(' ')[0] ?? ''} ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const s of [...services].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))) await attempt(`service ${s.Spec.Name}`, s.ID, () => client.cluster.removeService(s.ID));
  for (const s of secrets) await attempt(`secret ${s.Spec.Name}`, s.ID, () => client.fileObjects.remove('secret', s.ID));
  for (const c of configs) await attempt(`config ${c.Spec.Name}`, c.ID, () => client.fileObjects.remove('config', c.ID));
  for (const n of networks) await attempt(`network ${n.Name}`, n.Id, () => client.networks.remove(n.Id));
  if (failures > 0) throw errors.failedPrecondition('stack-remove-incomplete', `failed to remove some resources from stack: ${stack}`);
}
