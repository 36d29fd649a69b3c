/**
 * The cluster's service spec and task template as Docker's ServiceSpec and TaskSpec, the shape
 * `swarm-service-spec.ts` reads back: what the docker CLI reads, changes and sends again on
 * `service update`. Go's zero values: empty lists, maps and zero numbers of `omitempty` fields are
 * left out, as dockerd does; the restart policy is shown whole (the cluster stores its defaults).
 */
import type { Healthcheck, PublishedPort, ServiceNetwork, ServiceSpec, TaskTemplate } from '../cluster/objects/index.js';
import type { SwarmServiceSpec, SwarmTaskSpec } from '../wire/swarm.js';
import type { SwarmPortConfig } from '../wire/swarm-ports.js';
import { fileReferencesView } from './swarm-file-references.js';
import { modeView, scheduleLabels } from './swarm-jobs.js';
import { autoscaleLabels } from './swarm-autoscale.js';
import { canaryLabels, minAvailableLabels } from './swarm-rollout.js';
import { updateConfigView } from './swarm-update-views.js';

const nonEmptyList = <K extends string>(key: K, list: readonly string[] | undefined): Partial<Record<K, string[]>> =>
  list === undefined || list.length === 0 ? {} : ({ [key]: [...list] } as Partial<Record<K, string[]>>);

const nonZero = <K extends string>(key: K, value: number): Partial<Record<K, number>> =>
  value === 0 ? {} : ({ [key]: value } as Partial<Record<K, number>>);

/** A task template as Docker's TaskSpec. Pure. */
export function taskSpecView(template: TaskTemplate): SwarmTaskSpec {
  const { containerSpec: container, resources, restartPolicy, placement } = template;
  const { limits, reservations } = resources;
  return {
    ContainerSpec: {
      Image: container.image,
      ...(Object.keys(container.labels).length > 0 ? { Labels: { ...container.labels } } : {}),
      ...nonEmptyList('Command', container.command),
      ...nonEmptyList('Args', container.args),
      ...nonEmptyList('Env', container.env),
      ...(container.mounts.length > 0
        ? {
            Mounts: container.mounts.map((mount) => ({
              Type: mount.type,
              ...(mount.source === undefined ? {} : { Source: mount.source }),
              Target: mount.target,
              ...(mount.readOnly ? { ReadOnly: true } : {}),
            })),
          }
        : {}),
      ...(container.healthcheck === undefined ? {} : { Healthcheck: healthcheckView(container.healthcheck) }),
      ...fileReferencesView(container),
      Isolation: 'default',
    },
    Resources: {
      Limits: { ...nonZero('NanoCPUs', limits.nanoCpus), ...nonZero('MemoryBytes', limits.memoryBytes), ...nonZero('Pids', limits.pids) },
      Reservations: { ...nonZero('NanoCPUs', reservations.nanoCpus), ...nonZero('MemoryBytes', reservations.memoryBytes) },
    },
    RestartPolicy: {
      Condition: restartPolicy.condition,
      Delay: restartPolicy.delayNs,
      MaxAttempts: restartPolicy.maxAttempts,
      Window: restartPolicy.windowNs,
    },
    Placement: {
      ...nonEmptyList('Constraints', placement.constraints),
      ...(placement.preferences.length > 0 ? { Preferences: placement.preferences.map((p) => ({ Spread: { SpreadDescriptor: p.spread } })) } : {}),
      ...nonZero('MaxReplicas', placement.maxReplicas),
    },
    ForceUpdate: template.forceUpdate,
    Runtime: 'container',
    ...networksView(template.networks.filter((n) => n.ingress !== true)),
  };
}

/** The user's networks (the ingress network, which the cluster adds for published ports, is not one). */
function networksView(networks: readonly ServiceNetwork[]): Pick<SwarmTaskSpec, 'Networks'> {
  return networks.length === 0 ? {} : { Networks: networks.map((n) => ({ Target: n.target, ...(n.aliases.length > 0 ? { Aliases: [...n.aliases] } : {}) })) };
}

/** Published ports as Docker's PortConfig list. */
export function portsView(ports: readonly PublishedPort[]): SwarmPortConfig[] {
  return ports.map((p) => ({ Protocol: p.protocol, TargetPort: p.targetPort, ...(p.publishedPort === undefined ? {} : { PublishedPort: p.publishedPort }), PublishMode: p.publishMode }));
}

/** Docker's Healthcheck: the durations that are set (0 is left out, as the docker CLI leaves them). */
function healthcheckView(check: Healthcheck): NonNullable<SwarmTaskSpec['ContainerSpec']['Healthcheck']> {
  return {
    Test: [...check.test],
    ...nonZero('Interval', check.intervalNs), ...nonZero('Timeout', check.timeoutNs),
    ...nonZero('StartPeriod', check.startPeriodNs), ...nonZero('Retries', check.retries),
  };
}

/** A service spec as Docker's ServiceSpec. Pure. */
export function serviceSpecView(spec: ServiceSpec): SwarmServiceSpec {
  return {
    Name: spec.name,
    Labels: { ...spec.labels, ...scheduleLabels(spec.schedule), ...autoscaleLabels(spec.autoscale), ...canaryLabels(spec.updateConfig.canary), ...minAvailableLabels(spec.minAvailable) },
    TaskTemplate: taskSpecView(spec.taskTemplate),
    Mode: modeView(spec.mode),
    EndpointSpec: { Mode: spec.endpointMode, ...(spec.ports.length > 0 ? { Ports: portsView(spec.ports) } : {}) },
    UpdateConfig: updateConfigView(spec.updateConfig),
    RollbackConfig: updateConfigView(spec.rollbackConfig),
  };
}
