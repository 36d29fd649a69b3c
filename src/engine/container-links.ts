/**
 * Legacy links (`--link name:alias`, HostConfig.Links) as dockerd keeps them: checked and recorded at
 * create for a container on the default bridge (or none), dropped on a user network; at each start
 * of a container on the default bridge, the linked containers (which must then run on the default
 * bridge too) give it environment variables and /etc/hosts lines; `rm --link` removes one.
 */
import { posix } from 'node:path';
import { errors, isBerthError, messageOf } from '../base/errors.js';
import type { ContainerNetworkRequest } from '../network/container-network.js';
import { DEFAULT_NETWORK, type NetworkService } from '../network/network-service.js';
import { parsePortKey } from '../wire/port-specs.js';
import type { ImageConfig } from '../oci/schemas.js';
import { isActive, type ContainerConfig, type ContainerLink, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { rewriteRunHosts, type NetworkingContext } from './container-networking.js';
import { linkEnvironment, linkHostsLine, type LinkedPort } from './link-environment.js';

export interface LinkRequest {
  /** Name or id of the container linked to. */
  name: string;
  alias: string;
}

/** What links read at start. */
export interface LinkContext {
  store: ContainerStore;
  network: NetworkService;
  imageConfig(imageId: string): Promise<ImageConfig>;
}

/** The environment and /etc/hosts lines a run gets from its links. */
export interface RunLinks {
  env: string[];
  hosts: string[];
}

const HOST_CONFLICT = "conflicting options: host type networking can't be used with links. This would result in undefined behavior";
const CONTAINER_CONFLICT = "conflicting options: container type network can't be used with links. This would result in undefined behavior";

/** One HostConfig.Links entry (`name`, `name:alias`, or inspect's `/name:/parent/alias`), as moby's ParseLink. Throws invalid-argument (`invalid-link`). */
export function parseLink(value: string, field: string): LinkRequest {
  if (value === '') throw errors.invalidArgument('invalid-link', `${field}: empty string specified for links`);
  const parts = value.split(':');
  if (parts.length > 2) throw errors.invalidArgument('invalid-link', `${field}: bad format for links: ${value}`);
  const [name = '', alias] = parts;
  if (alias === undefined) return { name, alias: name };
  return name.startsWith('/') ? { name: name.slice(1), alias: posix.basename(alias) } : { name, alias };
}

/**
 * The links a new container records. Throws invalid-argument (`conflicting-network-options`) with
 * host networking (its own or the linked container's) or a `container:` network, and
 * (`no-such-container`) for a container that does not exist. On a user network they are dropped;
 * an alias taken twice (or empty) counts once (none), as dockerd ignores it.
 */
export function resolveLinks(
  store: Pick<ContainerStore, 'resolve' | 'find'>, requests: readonly LinkRequest[] | undefined, networkMode: 'none' | 'host' | undefined, network: ContainerNetworkRequest | undefined,
): ContainerLink[] {
  if (requests === undefined || requests.length === 0) return [];
  if (networkMode === 'host') throw errors.invalidArgument('conflicting-network-options', HOST_CONFLICT);
  const mode = network?.mode ?? '';
  if (mode.startsWith('container:')) throw errors.invalidArgument('conflicting-network-options', CONTAINER_CONFLICT);
  if (network !== undefined && !['', 'default', DEFAULT_NETWORK].includes(mode)) return [];
  const links: ContainerLink[] = [];
  for (const request of requests) {
    const child = namespaceOwner(store, lookup(store, request.name));
    if (child.config.options.networkMode === 'host') throw errors.invalidArgument('conflicting-network-options', HOST_CONFLICT);
    const alias = cleanAlias(request.alias);
    if (alias === '' || links.some((l) => l.alias === alias)) continue;
    links.push({ container: child.id, name: child.name, alias });
  }
  return links;
}

/** The alias as a clean path below the linking container's name (Go's path.Join), `` for none. */
function cleanAlias(alias: string): string {
  return posix.join('/', alias).replace(/\/+$/, '').slice(1);
}

function lookup(store: Pick<ContainerStore, 'resolve'>, name: string): ContainerRecord {
  try {
    return store.resolve(name);
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err;
    throw errors.invalidArgument('no-such-container', `could not get container for ${name}: ${messageOf(err)}`, { cause: err });
  }
}

/** As dockerd: a link to a container in another's network namespace is a link to that other container. */
function namespaceOwner(store: Pick<ContainerStore, 'find'>, record: ContainerRecord): ContainerRecord {
  let current = record;
  const seen = new Set<string>();
  while (current.config.network?.mode === 'container' && !seen.has(current.id)) {
    seen.add(current.id);
    const next = store.find(current.config.network.container ?? '');
    if (next === undefined) throw errors.invalidArgument('no-such-container', `could not get container for ${current.config.network.container ?? ''}`);
    current = next;
  }
  return current;
}

/** Inspect's HostConfig.Links: `/<linked name>:/<name>/<alias>` (null without links). */
export function linkViews(record: ContainerRecord, nameOf: (id: string) => string | undefined): string[] | null {
  const links = record.config.links ?? [];
  return links.length === 0 ? null : links.map((l) => `/${nameOf(l.container) ?? l.name}:/${record.name}/${l.alias}`);
}

function onDefaultBridge(record: ContainerRecord, defaultId: string): boolean {
  return record.config.network?.mode === 'bridge' && record.config.network.networks.some((n) => n.id === defaultId);
}

/** The Env dockerd shows for a container: its own entries, then the image's whose keys it does not set. */
function configEnv(record: ContainerRecord, image: ImageConfig): string[] {
  const own = record.config.options.env ?? [];
  const keys = new Set(own.map((e) => e.split('=')[0]));
  return [...own, ...(image.config?.Env ?? []).filter((e) => !keys.has(e.split('=')[0]))];
}

function exposedPorts(record: ContainerRecord, image: ImageConfig): LinkedPort[] {
  const keys = [...Object.keys(image.config?.ExposedPorts ?? {}), ...(record.config.network?.exposedPorts ?? [])];
  const ports = new Map<string, LinkedPort>();
  for (const key of keys) for (const p of parsePortKey(key)) ports.set(`${p.port}/${p.protocol}`, p);
  return [...ports.values()];
}

/**
 * The environment and hosts lines of a run of `record` (nothing unless it is on the default
 * bridge). `strict` (a start) throws failed-precondition as dockerd refuses the start:
 * (`link-not-on-default-network`) for a linked container elsewhere, (`linked-container-not-running`)
 * for one that does not run (or was removed); otherwise (a rewrite while it runs) those links are skipped.
 */
export async function runLinks(ctx: LinkContext, record: ContainerRecord, strict: boolean): Promise<RunLinks> {
  const result: RunLinks = { env: [], hosts: [] };
  const links = record.config.links ?? [];
  const bridge = ctx.network.store.findByName(DEFAULT_NETWORK);
  if (links.length === 0 || bridge === undefined || !onDefaultBridge(record, bridge.id)) return result;
  const children = links.map((link) => ({ link, child: ctx.store.find(link.container) }));
  for (const { child } of children) {
    if (strict && child !== undefined && !onDefaultBridge(child, bridge.id)) {
      throw errors.failedPrecondition('link-not-on-default-network', `Cannot link to /${child.name}, as it does not belong to the default network`);
    }
  }
  for (const { link, child } of children) {
    const ip = child === undefined || !isActive(child.state) ? undefined
      : ctx.network.store.endpointsOfContainer(child.id).find((e) => e.networkId === bridge.id)?.ip;
    if (child === undefined || ip === undefined || !onDefaultBridge(child, bridge.id)) {
      if (!strict) continue;
      throw errors.failedPrecondition('linked-container-not-running', `Cannot link to a non running container: /${child?.name ?? link.name} AS /${record.name}/${link.alias}`);
    }
    const image = await ctx.imageConfig(child.imageId);
    result.env.push(...linkEnvironment({ linkName: `/${record.name}/${link.alias}`, ip, env: configEnv(child, image), ports: exposedPorts(child, image) }));
    result.hosts.push(linkHostsLine(link.alias, ip, child.config.options.hostname ?? child.id.slice(0, 12), child.name));
  }
  return result;
}

/**
 * The config without the link `alias` (`DELETE /containers/{ref}/{alias}?link=1`). Throws not-found
 * (`no-such-container`, dockerd's `No such container: REF/ALIAS`) when there is no such link.
 */
export function withoutLink(record: ContainerRecord, alias: string, ref = record.name): ContainerConfig {
  const links = record.config.links ?? [];
  const wanted = cleanAlias(alias);
  if (!links.some((l) => l.alias === wanted)) throw errors.notFound('no-such-container', `No such container: ${ref}/${alias}`);
  const rest = links.filter((l) => l.alias !== wanted);
  const { links: _dropped, ...config } = record.config;
  return rest.length === 0 ? config : { ...config, links: rest };
}

/** What removing a link needs of the engine. */
export interface LinkRemovalContext {
  store: ContainerStore;
  linking: LinkContext;
  networking: NetworkingContext;
  /** Runs `work` under the container's lock. */
  locked: <T>(id: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * Removes the legacy link `alias` of the container `ref` (`rm --link ref/alias`); a running
 * container's /etc/hosts loses its line at once. Throws not-found (`no-such-container`, dockerd's
 * `No such container: REF/ALIAS`) when there is no such container or link.
 */
export async function removeLink(ctx: LinkRemovalContext, ref: string, alias: string): Promise<void> {
  let id: string;
  try {
    id = ctx.store.resolve(ref).id;
  } catch (err) {
    if (isBerthError(err, 'not-found')) throw errors.notFound('no-such-container', `No such container: ${ref}/${alias}`, { cause: err });
    throw err;
  }
  await ctx.locked(id, async () => {
    const current = ctx.store.find(id);
    if (current === undefined) throw errors.notFound('no-such-container', `No such container: ${ref}/${alias}`);
    const record = { ...current, config: withoutLink(current, alias, ref) };
    ctx.store.setConfig(id, record.config);
    await rewriteRunHosts(ctx.networking, record, (await runLinks(ctx.linking, record, false)).hosts);
  });
}
