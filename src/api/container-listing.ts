/**
 * `GET /containers/json`: the node's containers, newest first, filtered as dockerd filters them
 * (container-filters.ts), then `limit`, each as a list entry with its networking fields.
 */
import { errors, isBerthError } from '../base/errors.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import type { ContainerEngine } from '../engine/container-engine.js';
import type { NetworkService } from '../network/network-service.js';
import type { RouteServices } from './route-services.js';
import { isActive, type ContainerRecord } from '../engine/container-record.js';
import { parsePortKey } from '../wire/port-specs.js';
import { descendsFrom } from '../oci/image-lineage.js';
import type { ContainerConfig as ImageContainerConfig } from '../oci/schemas.js';
import { containerFilter, listsStopped, type ContainerFacts, type ContainerFilterLookups } from './container-filters.js';
import { listView } from './container-views.js';
import { withNetworkSummary } from './network-views.js';
import { queryBool, queryFilters, queryInt, type Query } from './query.js';
import { mountViews } from './volume-views.js';
import type { ContainerSummary } from '../wire/container-inspect.js';
import { undefinedIfGone } from './gone.js';

const log = componentLogger('api');

function networksOf(networks: NetworkService, record: ContainerRecord): ContainerFacts['networks'] {
  const net = record.config.network;
  if (net === undefined) return [{ name: record.config.options.networkMode ?? 'none' }];
  if (net.mode === 'container') return [];
  return net.networks.map((n) => ({ id: n.id, name: networks.store.find(n.id)?.name ?? '' }));
}

/** `port/proto` sets of a container whose namespace is up (dockerd lists ports of running containers only). */
function portsOf(networks: NetworkService, record: ContainerRecord, image: ImageContainerConfig | undefined): Pick<ContainerFacts, 'publishedPorts' | 'exposedPorts'> {
  const endpoints = networks.store.endpointsOfContainer(record.id);
  const published = new Set<string>();
  const exposed = new Set<string>();
  if (endpoints.length === 0) return { publishedPorts: published, exposedPorts: exposed };
  for (const e of endpoints) {
    for (const p of e.ports) {
      published.add(`${p.hostPort}/${p.protocol}`);
      exposed.add(`${p.containerPort}/${p.protocol}`);
    }
  }
  for (const key of [...Object.keys(image?.ExposedPorts ?? {}), ...(record.config.network?.exposedPorts ?? [])]) {
    for (const p of parsePortKey(key)) exposed.add(`${p.port}/${p.protocol}`);
  }
  return { publishedPorts: published, exposedPorts: exposed };
}

function lookups(engine: ContainerEngine, records: readonly ContainerRecord[]): ContainerFilterLookups {
  return {
    // As dockerd: a full id or a name (no id prefix).
    order: (ref) => {
      const at = records.findIndex((r) => r.id === ref || r.name === ref || `/${r.name}` === ref);
      if (at < 0) throw errors.notFound('no-such-container', `No such container: ${ref}`);
      return at;
    },
    ancestorImages: async (refs) => {
      const ancestors: string[] = [];
      for (const ref of refs) {
        try {
          ancestors.push(engine.resolveImage(ref).id);
        } catch (err) {
          // As dockerd: an image that does not exist selects nothing.
          if (!isBerthError(err, 'not-found')) throw err;
        }
      }
      const selected = new Set<string>(ancestors);
      const ancestorConfigs = await Promise.all(ancestors.map((id) => engine.imageConfig(id)));
      for (const imageId of new Set(records.map((r) => r.imageId))) {
        if (selected.has(imageId)) continue;
        const config = await engine.imageConfig(imageId).catch(undefinedIfGone(warnOnFailure(log, 'reading an image config for an ancestor filter', { imageId })));
        if (config !== undefined && ancestorConfigs.some((a) => descendsFrom(config, a))) selected.add(imageId);
      }
      return selected;
    },
  };
}

/** The list entries for a `GET /containers/json` query. Throws as containerFilter. */
export async function listContainers(engine: ContainerEngine, services: Pick<RouteServices, 'volumes' | 'networks'>, query: Query): Promise<ContainerSummary[]> {
  const filters = queryFilters(query);
  const all = queryBool(query, 'all') || listsStopped(filters);
  const limit = queryInt(query, 'limit') ?? -1;
  const records = engine.list();
  const select = await containerFilter(filters, lookups(engine, records));
  const now = new Date();
  const entries: ContainerSummary[] = [];
  for (const [order, record] of records.entries()) {
    if (!all && !isActive(record.state)) continue;
    const image = (await engine.imageConfig(record.imageId).catch(undefinedIfGone(warnOnFailure(log, 'reading the image config of a listed container', { id: record.id, imageId: record.imageId }))))?.config ?? undefined;
    const health = engine.health.state(record.id);
    const labels = { ...(image?.Labels ?? {}), ...(record.config.options.labels ?? {}) };
    const facts: ContainerFacts = {
      record, order, labels, health: health?.status ?? 'none', networks: networksOf(services.networks, record), ...portsOf(services.networks, record, image),
    };
    if (!select(facts)) continue;
    const mounts = mountViews(record.config.mounts, (name) => services.volumes.dataDir(name));
    entries.push(withNetworkSummary(listView(record, image, now, mounts, health), record, services.networks));
    if (limit > 0 && entries.length >= limit) break;
  }
  return entries;
}
