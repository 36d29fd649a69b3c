/**
 * A Docker ServiceSpec body (`POST /services/create`, `/services/{id}/update`) as the cluster's
 * service spec. What the cluster models is converted and validated (`parseServiceSpec`), with
 * errors naming Docker's field; what the docker CLI always sends and the cluster does not model
 * (Runtime, Init, StopGracePeriod, DNSConfig, Isolation, Privileges, Placement.Platforms) is accepted and ignored; what would silently not
 * work when set (container settings the cluster does not carry to its tasks) is refused with 400
 * naming the field. Networks are named as the user gave them (name or id); the manager resolves
 * them to ids. A job's schedule comes from its labels (swarm-jobs.ts).
 */
import type { z } from 'zod';
import { BerthError, errors, isBerthError } from '../base/errors.js';
import { parseServiceSpec, type ServiceSpec } from '../cluster/objects/index.js';
import { parseSchema } from '../oci/parse-json.js';
import { swarmServiceSpecSchema } from '../wire/swarm.js';
import { fileReferencesFromBody } from './swarm-file-references.js';
import { modeFromBody, scheduleFromLabels } from './swarm-jobs.js';
import { autoscaleFromLabels } from './swarm-autoscale.js';
import { canaryFromLabels, minAvailableFromLabels } from './swarm-rollout.js';
import {
  AUTOSCALE_CPU_LABEL, AUTOSCALE_DELAY_LABEL, AUTOSCALE_MAX_LABEL, AUTOSCALE_MEMORY_LABEL, AUTOSCALE_MIN_LABEL,
  CONCURRENCY_LABEL, HISTORY_LABEL, MIN_AVAILABLE_LABEL, SCHEDULE_LABEL,
} from '../wire/swarm-labels.js';

type Body = z.infer<typeof swarmServiceSpecSchema>;
type Template = NonNullable<Body['TaskTemplate']>;
type Resources = NonNullable<Template['Resources']>;
type UpdateConfigBody = NonNullable<Body['UpdateConfig']>;

/** Parses an untrusted body with the schema (400 naming the field). */
export function parseServiceSpecBody(body: unknown): Body {
  return parseSchema(swarmServiceSpecSchema, body ?? {}, 'service spec');
}

const notSupported = (field: string, why: string): BerthError =>
  errors.invalidArgument('unsupported-service-field', `${field}: ${why}`, { details: { field } });

const isSet = (value: unknown): boolean => {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
};

/** Throws for the first field that is set but would not work. */
function refuseUnsupported(body: Body): void {
  const template = body.TaskTemplate;
  const container = template?.ContainerSpec;
  const refused: [string, unknown, string][] = [
    ['TaskTemplate.Networks.DriverOpts', (template?.Networks ?? body.Networks ?? []).map((n) => n.DriverOpts).filter(isSet), 'per-service network driver options are not supported'],
    ['TaskTemplate.PluginSpec', template?.PluginSpec, 'only container tasks are supported'],
    ['TaskTemplate.NetworkAttachmentSpec', template?.NetworkAttachmentSpec, 'only container tasks are supported'],
    ['TaskTemplate.LogDriver', template?.LogDriver, 'a service log driver is not supported yet'],
    ['TaskTemplate.Resources.Reservations.GenericResources', template?.Resources?.Reservations?.GenericResources, 'generic resources are not supported yet'],
  ];
  const containerFields = ['Hostname', 'Dir', 'User', 'Groups', 'TTY', 'OpenStdin', 'ReadOnly', 'StopSignal', 'Hosts', 'CapabilityAdd', 'CapabilityDrop', 'Sysctls', 'Ulimits'] as const;
  for (const name of containerFields) refused.push([`TaskTemplate.ContainerSpec.${name}`, container?.[name], 'not supported yet by berth\'s cluster']);
  for (const [field, value, why] of refused) if (isSet(value)) throw notSupported(field, why);
  if (container?.Healthcheck != null && !isSet(container.Healthcheck.Test)) {
    throw notSupported('TaskTemplate.ContainerSpec.Healthcheck.Test', 'a service\'s health check needs its test (--health-cmd); the image\'s is not used');
  }
  const runtime = template?.Runtime ?? '';
  if (runtime !== '' && runtime !== 'container') throw notSupported('TaskTemplate.Runtime', `"${runtime}": only container tasks are supported`);
}

/** The cluster's spec fields by Docker's (the rest are the same name capitalised). */
const DOCKER_FIELD: Readonly<Record<string, string>> = {
  nanoCpus: 'NanoCPUs',
  delayNs: 'Delay',
  monitorNs: 'Monitor',
  windowNs: 'Window',
  spread: 'Spread.SpreadDescriptor',
  replicas: 'Replicated.Replicas',
  maxConcurrent: 'ReplicatedJob.MaxConcurrent',
  totalCompletions: 'ReplicatedJob.TotalCompletions',
};

/** The schedule's and autoscaling's fields by the labels they come from. */
const SCHEDULE_FIELD: Readonly<Record<string, string>> = {
  schedule: `Labels.${SCHEDULE_LABEL}`,
  'schedule.cron': `Labels.${SCHEDULE_LABEL}`,
  'schedule.concurrency': `Labels.${CONCURRENCY_LABEL}`,
  'schedule.historyLimit': `Labels.${HISTORY_LABEL}`,
  minAvailable: `Labels.${MIN_AVAILABLE_LABEL}`,
  autoscale: `Labels.${AUTOSCALE_MAX_LABEL}`,
  'autoscale.minReplicas': `Labels.${AUTOSCALE_MIN_LABEL}`,
  'autoscale.maxReplicas': `Labels.${AUTOSCALE_MAX_LABEL}`,
  'autoscale.cpuPercent': `Labels.${AUTOSCALE_CPU_LABEL}`,
  'autoscale.memoryPercent': `Labels.${AUTOSCALE_MEMORY_LABEL}`,
  'autoscale.scaleDownDelayNs': `Labels.${AUTOSCALE_DELAY_LABEL}`,
};

/** `taskTemplate.placement.constraints[0]` → `TaskTemplate.Placement.Constraints[0]`. Pure. */
export function dockerFieldName(field: string): string {
  const scheduleField = SCHEDULE_FIELD[field];
  if (scheduleField !== undefined) return scheduleField;
  const segments = field.split('.');
  return segments.map((segment, i) => {
    if (i > 0 && /[Ll]abels$/.test(segments[i - 1] ?? '')) return segment;
    return segment.replace(/^[A-Za-z]+/, (word) => DOCKER_FIELD[word] ?? word.charAt(0).toUpperCase() + word.slice(1));
  }).join('.');
}

/** Validates the cluster spec, naming Docker's fields in its errors. */
function validated(input: Record<string, unknown>): ServiceSpec {
  try {
    return parseServiceSpec(input);
  } catch (err) {
    const field = isBerthError(err) ? err.details['field'] : undefined;
    if (!isBerthError(err) || typeof field !== 'string') throw err;
    const name = dockerFieldName(field);
    throw new BerthError(err.kind, err.reason, err.message.replace(field, name), { cause: err, details: { field: name } });
  }
}

/** EndpointSpec.Mode: `vip` (the default) or `dnsrr`; 400 naming the field otherwise. */
function endpointMode(mode: string | null | undefined): 'vip' | 'dnsrr' {
  if (!mode || mode === 'vip') return 'vip';
  if (mode === 'dnsrr') return 'dnsrr';
  throw errors.invalidArgument('invalid-service-spec', `EndpointSpec.Mode: invalid endpoint mode "${mode}": want vip or dnsrr`, { details: { field: 'EndpointSpec.Mode' } });
}

const defined = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** EndpointSpec.Ports as the cluster's published ports; 400 naming the field for a protocol, mode or port it does not take. */
function publishedPorts(ports: NonNullable<Body['EndpointSpec']>['Ports']): Record<string, unknown>[] {
  return (ports ?? []).map((port, i) => {
    const bad = (field: string, why: string): BerthError =>
      errors.invalidArgument('invalid-service-spec', `EndpointSpec.Ports[${String(i)}].${field}: ${why}`, { details: { field: `EndpointSpec.Ports[${String(i)}].${field}` } });
    const protocol = port.Protocol || 'tcp';
    if (protocol !== 'tcp' && protocol !== 'udp') throw bad('Protocol', `protocol "${protocol}" is not supported: want tcp or udp`);
    const mode = port.PublishMode || 'ingress';
    if (mode !== 'ingress' && mode !== 'host') throw bad('PublishMode', `invalid publish mode "${mode}": want ingress or host`);
    if (!defined(port.TargetPort) || port.TargetPort < 1 || port.TargetPort > 65535) throw bad('TargetPort', 'a target port from 1 to 65535 is required');
    const published = port.PublishedPort ?? 0;
    if (published < 0 || published > 65535) throw bad('PublishedPort', 'a published port is 0 (the cluster picks one) to 65535');
    return { protocol, targetPort: port.TargetPort, ...(published === 0 ? {} : { publishedPort: published }), publishMode: mode };
  });
}

/** Docker's UpdateConfig or RollbackConfig as the cluster's; absent is Swarm's defaults, empty strings too. */
function updateConfigFromBody(config: UpdateConfigBody | null | undefined): Record<string, unknown> {
  if (!defined(config)) return {};
  return {
    ...(defined(config.Parallelism) ? { parallelism: config.Parallelism } : {}),
    ...(defined(config.Delay) ? { delayNs: config.Delay } : {}),
    ...(config.FailureAction ? { failureAction: config.FailureAction } : {}),
    ...(defined(config.Monitor) && config.Monitor !== 0 ? { monitorNs: config.Monitor } : {}),
    ...(defined(config.MaxFailureRatio) ? { maxFailureRatio: config.MaxFailureRatio } : {}),
    ...(config.Order ? { order: config.Order } : {}),
  };
}

/**
 * The cluster's spec for a Docker ServiceSpec body, validated; `name` is used when the body has
 * none (dockerd gives such a service a random name). Throws invalid-argument naming the field.
 */
export function serviceSpecFromBody(body: Body, name: string): ServiceSpec {
  refuseUnsupported(body);
  const template: Template = body.TaskTemplate ?? {};
  const container: NonNullable<Template['ContainerSpec']> = template.ContainerSpec ?? {};
  const limits: NonNullable<Resources['Limits']> = template.Resources?.Limits ?? {};
  const reservations: NonNullable<Resources['Reservations']> = template.Resources?.Reservations ?? {};
  const restart: NonNullable<Template['RestartPolicy']> = template.RestartPolicy ?? {};
  const placement: NonNullable<Template['Placement']> = template.Placement ?? {};
  const { labels: withoutSchedule, schedule } = scheduleFromLabels(body.Labels ?? {});
  const { labels: withoutAutoscale, autoscale } = autoscaleFromLabels(withoutSchedule);
  const { labels: withoutCanary, canary } = canaryFromLabels(withoutAutoscale);
  const { labels, minAvailable } = minAvailableFromLabels(withoutCanary);
  return validated({
    name: body.Name ? body.Name : name,
    labels,
    taskTemplate: {
      containerSpec: {
        image: container.Image ?? '',
        ...(defined(container.Command) && container.Command.length > 0 ? { command: container.Command } : {}),
        ...(defined(container.Args) && container.Args.length > 0 ? { args: container.Args } : {}),
        env: container.Env ?? [],
        labels: container.Labels ?? {},
        mounts: (container.Mounts ?? []).map((mount) => ({
          type: mount.Type ?? '',
          ...(mount.Source ? { source: mount.Source } : {}),
          target: mount.Target ?? '',
          readOnly: mount.ReadOnly ?? false,
        })),
        ...(container.Healthcheck?.Test ? {
          healthcheck: {
            test: container.Healthcheck.Test,
            intervalNs: container.Healthcheck.Interval ?? 0,
            timeoutNs: container.Healthcheck.Timeout ?? 0,
            startPeriodNs: container.Healthcheck.StartPeriod ?? 0,
            retries: container.Healthcheck.Retries ?? 0,
          },
        } : {}),
        ...fileReferencesFromBody(container.Secrets, container.Configs),
      },
      resources: {
        limits: { nanoCpus: limits.NanoCPUs ?? 0, memoryBytes: limits.MemoryBytes ?? 0, pids: limits.Pids ?? 0 },
        reservations: { nanoCpus: reservations.NanoCPUs ?? 0, memoryBytes: reservations.MemoryBytes ?? 0 },
      },
      restartPolicy: {
        condition: restart.Condition || 'any',
        ...(defined(restart.Delay) ? { delayNs: restart.Delay } : {}),
        maxAttempts: restart.MaxAttempts ?? 0,
        windowNs: restart.Window ?? 0,
      },
      placement: {
        constraints: placement.Constraints ?? [],
        preferences: (placement.Preferences ?? []).map((preference) => ({ spread: preference.Spread?.SpreadDescriptor ?? '' })),
        maxReplicas: placement.MaxReplicas ?? 0,
      },
      networks: (template.Networks ?? body.Networks ?? []).map((network, i) => {
        if (!network.Target) throw errors.invalidArgument('invalid-service-spec', `TaskTemplate.Networks[${i}].Target: a network name or id is required`, { details: { field: `TaskTemplate.Networks[${i}].Target` } });
        return { target: network.Target, aliases: network.Aliases ?? [] };
      }),
      forceUpdate: Number(template.ForceUpdate ?? 0),
    },
    mode: modeFromBody(body.Mode),
    ...(schedule === undefined ? {} : { schedule }),
    ...(autoscale === undefined ? {} : { autoscale }),
    ...(minAvailable === undefined ? {} : { minAvailable }),
    endpointMode: endpointMode(body.EndpointSpec?.Mode),
    ports: publishedPorts(body.EndpointSpec?.Ports),
    updateConfig: { ...updateConfigFromBody(body.UpdateConfig), ...(canary === undefined ? {} : { canary }) },
    rollbackConfig: updateConfigFromBody(body.RollbackConfig),
  });
}
