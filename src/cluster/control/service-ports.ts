/**
 * A service's published ports on the manager (networking/published-ports.ts planned here):
 * the claims of its ingress ports are written in the service's own commit, so two services never
 * publish one port; a service that publishes through the routing mesh joins the ingress network
 * (made on first use), last among its networks, marked as the cluster's and never the user's;
 * its host-mode ports are copied into its task template, so each task's container publishes
 * them (and a change of them replaces the tasks).
 */
import type { PublishedPort } from '../objects/published-port.js';
import type { Service, ServiceSpec } from '../objects/service.js';
import { keepAssigned, planPublishedPorts } from '../networking/published-ports.js';
import type { ClusterStore, StoreWrite } from '../store/cluster-store.js';
import type { NetworkControl } from './network-control.js';
import { readServices } from './stored-objects.js';

export interface PreparedPorts {
  /** The spec with the ingress network attached when it publishes through the mesh. */
  readonly spec: ServiceSpec;
  readonly endpointPorts: PublishedPort[];
  readonly writes: StoreWrite[];
}

/** The spec without what the cluster adds for its ports (the ingress attachment, the host-mode ports), as a client sends it back. */
export function withoutPortAdditions(spec: ServiceSpec): ServiceSpec {
  return { ...spec, taskTemplate: { ...spec.taskTemplate, networks: spec.taskTemplate.networks.filter((n) => n.ingress !== true), hostPorts: [] } };
}

export class ServicePorts {
  constructor(private readonly store: ClusterStore, private readonly networks: NetworkControl) {}

  /**
   * Plans the ports of service `serviceId` (`before`: its stored self on an update) whose
   * networks are already resolved. Throws as `planPublishedPorts`.
   */
  async prepare(serviceId: string, spec: ServiceSpec, before?: Service): Promise<PreparedPorts> {
    const claims = await this.store.list('published-port');
    const holders = new Map(claims.items.map((item) => [item.id, serviceIdOf(item.value)]));
    const versions = new Map<string, number>(claims.items.map((item) => [item.id, item.version]));
    const wanted = keepAssigned(spec.ports, before?.endpointPorts ?? []);
    const names = new Map((await readServices(this.store)).map((s) => [s.id, s.spec.name]));
    const plan = planPublishedPorts(serviceId, wanted, holders, (id) => names.get(id) ?? id);
    const writes: StoreWrite[] = [
      ...plan.claim.map((id): StoreWrite => ({ op: 'put', kind: 'published-port', id, value: { serviceId }, expect: 'absent' })),
      ...plan.release.map((id): StoreWrite => ({ op: 'delete', kind: 'published-port', id, expect: versions.get(id) ?? 0 })),
    ];
    const stripped = withoutPortAdditions(spec);
    const base = { ...stripped, taskTemplate: { ...stripped.taskTemplate, hostPorts: plan.ports.filter((p) => p.publishMode === 'host') } };
    if (!plan.ports.some((p) => p.publishMode === 'ingress')) return { spec: base, endpointPorts: plan.ports, writes };
    const ingress = await this.networks.ensureIngress();
    const networks = [...base.taskTemplate.networks, { target: ingress.id, aliases: [], ingress: true }];
    return { spec: { ...base, taskTemplate: { ...base.taskTemplate, networks } }, endpointPorts: plan.ports, writes };
  }

  /** The writes that free a removed service's claims. */
  async releases(service: Service): Promise<StoreWrite[]> {
    const claims = await this.store.list('published-port');
    return claims.items.filter((item) => serviceIdOf(item.value) === service.id)
      .map((item): StoreWrite => ({ op: 'delete', kind: 'published-port', id: item.id, expect: item.version }));
  }
}

function serviceIdOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'serviceId' in value && typeof value.serviceId === 'string' ? value.serviceId : '';
}
