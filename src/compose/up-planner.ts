/**
 * What `up` must do, as data: from the project and what berthd already runs for it, the networks
 * and volumes to create, then per service (in dependency order) the containers to keep, start,
 * create, recreate (config hash changed, or --force-recreate) or remove (scaled down), and the
 * orphans (containers of services no longer in the file). Pure: no I/O, so it is unit-tested.
 */
import { errors } from '../base/errors.js';
import { LABELS, serviceConfigHash } from './compose-labels.js';
import { replicasOf, type ComposeProject, type ServiceConfig } from './project-model.js';

/** What the planner needs to know of an existing container (from `GET /containers/json`). */
export interface ObservedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Docker's State: running, exited, created, … */
  state: string;
}

export interface ObservedState {
  containers: ObservedContainer[];
  networks: string[];
  volumes: string[];
}

export interface UpOptions {
  /** Only these services (and what they depend on); all when empty. */
  services: string[];
  scale: Record<string, number>;
  forceRecreate: boolean;
  noRecreate: boolean;
  removeOrphans: boolean;
}

export interface ServiceStep {
  service: ServiceConfig;
  replicas: number;
  /** Up to date and running: nothing to do. */
  keep: ObservedContainer[];
  /** Up to date but not running: start. */
  start: ObservedContainer[];
  /** Config hash differs (or forced): remove and create again with the same number. */
  recreate: ObservedContainer[];
  /** Container numbers to create. */
  create: number[];
  /** Beyond the replica count: remove. */
  remove: ObservedContainer[];
}

export interface UpPlan {
  networks: { key: string; name: string }[];
  volumes: { key: string; name: string }[];
  /** Services in an order where each comes after what it depends on. */
  services: ServiceStep[];
  orphans: ObservedContainer[];
}

/** Services in dependency order (Kahn's algorithm, ties by name). Throws invalid-argument on a cycle. */
export function dependencyOrder(services: readonly ServiceConfig[]): ServiceConfig[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const order: ServiceConfig[] = [];
  while (order.length < services.length) {
    const ready = services.filter((s) => !done.has(s.name) && Object.keys(s.depends_on).every((d) => done.has(d) || !byName.has(d)));
    if (ready.length === 0) {
      const left = services.filter((s) => !done.has(s.name)).map((s) => s.name);
      throw errors.invalidArgument('compose-dependency-cycle', `depends_on makes a cycle among services ${left.join(', ')}`);
    }
    for (const s of ready) {
      done.add(s.name);
      order.push(s);
    }
  }
  return order;
}

/** Services in levels: each level depends only on earlier ones, so a level's services can start together (reverse the list to stop). */
export function dependencyLevels(services: readonly ServiceConfig[]): string[][] {
  const level = new Map<string, number>();
  for (const service of dependencyOrder(services)) {
    const deps = Object.keys(service.depends_on).map((d) => level.get(d)).filter((l): l is number => l !== undefined);
    level.set(service.name, deps.length === 0 ? 0 : Math.max(...deps) + 1);
  }
  const levels: string[][] = [];
  for (const [name, l] of level) (levels[l] ??= []).push(name);
  return levels;
}

/** The named services and, transitively, the services they depend on. Throws not-found for an unknown name. */
export function withDependencies(project: ComposeProject, names: readonly string[]): ServiceConfig[] {
  if (names.length === 0) return project.services;
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    const service = byName.get(name);
    if (service === undefined) throw errors.notFound('compose-no-service', `no such service: ${name}`);
    wanted.add(name);
    Object.keys(service.depends_on).filter((d) => byName.has(d)).forEach(visit);
  };
  names.forEach(visit);
  return project.services.filter((s) => wanted.has(s.name));
}

const numberOf = (c: ObservedContainer): number => Number(c.labels[LABELS.containerNumber] ?? '0');

function serviceStep(service: ServiceConfig, replicas: number, existing: ObservedContainer[], options: UpOptions): ServiceStep {
  const hash = serviceConfigHash(service);
  const step: ServiceStep = { service, replicas, keep: [], start: [], recreate: [], create: [], remove: [] };
  const sorted = [...existing].sort((a, b) => numberOf(a) - numberOf(b));
  const kept = sorted.slice(0, replicas);
  step.remove = sorted.slice(replicas);
  for (const container of kept) {
    const stale = container.labels[LABELS.configHash] !== hash;
    if (options.forceRecreate || (stale && !options.noRecreate)) step.recreate.push(container);
    else if (container.state === 'running') step.keep.push(container);
    else step.start.push(container);
  }
  const used = new Set(kept.map(numberOf));
  for (let n = 1; step.create.length < replicas - kept.length; n++) if (!used.has(n)) step.create.push(n);
  return step;
}

/** Plans `up` for `project` against `observed`. Throws not-found (unknown service, missing external network or volume), invalid-argument (cycle). */
export function planUp(project: ComposeProject, observed: ObservedState, options: UpOptions): UpPlan {
  const selected = dependencyOrder(withDependencies(project, options.services));
  const mine = observed.containers.filter((c) => c.labels[LABELS.project] === project.name && c.labels[LABELS.oneoff] !== 'True');
  const known = new Set([...project.services.map((s) => s.name), ...project.disabledServices]);
  const networkKeys = new Set(selected.flatMap((s) => Object.keys(s.networks)));
  const volumeKeys = new Set(selected.flatMap((s) => s.volumes.filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source ?? '')));
  for (const [kind, keys, table, present] of [['network', networkKeys, project.networks, observed.networks], ['volume', volumeKeys, project.volumes, observed.volumes]] as const) {
    for (const key of keys) {
      const object = table[key];
      if (object?.external === true && !present.includes(object.name)) {
        throw errors.notFound(`compose-external-${kind}`, `${kind} ${object.name} declared as external, but could not be found`);
      }
    }
  }
  return {
    networks: Object.entries(project.networks)
      .filter(([key, net]) => networkKeys.has(key) && !net.external && !observed.networks.includes(net.name))
      .map(([key, net]) => ({ key, name: net.name })),
    volumes: Object.entries(project.volumes)
      .filter(([key, vol]) => volumeKeys.has(key) && !vol.external && !observed.volumes.includes(vol.name))
      .map(([key, vol]) => ({ key, name: vol.name })),
    services: selected.map((service) => serviceStep(
      service,
      options.scale[service.name] ?? replicasOf(service),
      mine.filter((c) => c.labels[LABELS.service] === service.name),
      options,
    )),
    orphans: options.removeOrphans ? mine.filter((c) => !known.has(c.labels[LABELS.service] ?? '')) : [],
  };
}
