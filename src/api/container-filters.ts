/**
 * `GET /containers/json` filters as dockerd applies them: `label` values all hold (ANDed), every
 * other key's values are alternatives, and the keys are ANDed. `id` is an id prefix; `name` a
 * pattern over the name with and without its `/`; `status`, `health` and `is-task` values are
 * checked (`status` also lists stopped containers); `exited` is the exit code of a container that
 * ran; `ancestor` an image and the images built on it; `before`/`since` a container (full id or
 * name), by creation order; `volume` a volume name, bind source or mount destination; `network` a network name or id
 * prefix; `publish` a host port and `expose` a container port of a running container (`80`,
 * `80/udp`, `8000-8080/tcp`); `isolation` is `default` here. Pure over the facts the route gathers.
 */
import { errors } from '../base/errors.js';
import { ZERO_TIME, type ContainerRecord } from '../engine/container-record.js';
import { booleanFilter, checkFilterKeys, invalidFilterValue, matchLabels, matchPattern, type Filters } from './filter-args.js';

const ACCEPTED = ['ancestor', 'before', 'expose', 'exited', 'health', 'id', 'label', 'name', 'status', 'since', 'volume', 'network', 'is-task', 'publish', 'isolation'];
const STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];
const TASK_LABEL = 'com.docker.swarm.task';

/** One container with what its filters look at. */
export interface ContainerFacts {
  record: ContainerRecord;
  /** Position in creation order (0 = newest). */
  order: number;
  /** The labels the list shows (the image's, then the container's). */
  labels: Readonly<Record<string, string>>;
  health: string;
  /** Networks it is on (`none`/`host` pseudo networks have no id). */
  networks: readonly { name: string; id?: string }[];
  /** `port/proto` of its published host ports and of its container ports, while it runs. */
  publishedPorts: ReadonlySet<string>;
  exposedPorts: ReadonlySet<string>;
}

/** Lookups some filters need: a container by name or id, and the image ids `ancestor` selects. */
export interface ContainerFilterLookups {
  /** Position in creation order of a container named by full id or name; throws not-found otherwise. */
  order(ref: string): number;
  /** The images a reference names and those built on them (empty for an unknown image). */
  ancestorImages(refs: readonly string[]): Promise<ReadonlySet<string>>;
}

/** `80`, `80/udp`, `8000-8010/tcp` → `80/tcp`, … Throws invalid-argument with dockerd's messages. */
export function portFilterValues(key: string, value: string): string[] {
  if (value.includes(':')) throw errors.invalidArgument('invalid-filter', `filter for '${key}' should not contain ':': ${value}`);
  const [ports = '', proto = 'tcp'] = value.split('/');
  const match = /^(\d+)(?:-(\d+))?$/.exec(ports);
  const bad = match === null ? ports.split('-').find((p) => !/^\d+$/.test(p)) ?? ports : undefined;
  if (match === null) throw errors.invalidArgument('invalid-filter', `error while looking up for ${key} ${value}: strconv.ParseUint: parsing "${bad ?? ''}": invalid syntax`);
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  const out: string[] = [];
  for (let port = start; port <= end && port <= 65535; port++) out.push(`${port}/${proto.toLowerCase()}`);
  return out;
}

function exitCodes(values: readonly string[] | undefined): number[] | undefined {
  return values?.map((value) => {
    if (!/^[+-]?\d+$/.test(value)) throw errors.invalidArgument('invalid-filter', `strconv.Atoi: parsing "${value}": invalid syntax`);
    return Number(value);
  });
}

/** Whether the filters list stopped containers without `all` (a `status` filter does). */
export function listsStopped(filters: Filters): boolean {
  return filters.has('status');
}

/**
 * The predicate of `filters`. Throws invalid-argument for a key or value dockerd refuses, and
 * not-found for a `before`/`since` container that does not exist.
 */
export async function containerFilter(filters: Filters, lookups: ContainerFilterLookups): Promise<(c: ContainerFacts) => boolean> {
  checkFilterKeys(filters, ACCEPTED);
  for (const status of filters.get('status') ?? []) {
    if (!STATES.includes(status)) throw errors.invalidArgument('invalid-filter', `Invalid filter 'status=${status}'`);
  }
  for (const health of filters.get('health') ?? []) {
    if (!HEALTH.includes(health)) throw errors.invalidArgument('invalid-filter', `Unrecognised filter value for health: ${health}`);
  }
  const isTask = booleanFilter(filters, 'is-task', false);
  if (isTask === undefined && (filters.get('is-task')?.length ?? 0) > 0) throw invalidFilterValue('is-task', filters.get('is-task') ?? []);
  const exited = exitCodes(filters.get('exited'));
  const published = filters.has('publish') ? new Set((filters.get('publish') ?? []).flatMap((v) => portFilterValues('publish', v))) : undefined;
  const exposed = filters.has('expose') ? new Set((filters.get('expose') ?? []).flatMap((v) => portFilterValues('expose', v))) : undefined;
  const before = (filters.get('before') ?? []).map((ref) => lookups.order(ref));
  const since = (filters.get('since') ?? []).map((ref) => lookups.order(ref));
  const ancestors = filters.has('ancestor') ? await lookups.ancestorImages(filters.get('ancestor') ?? []) : undefined;
  const any = (key: string, predicate: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(predicate);
  };
  return (c) => {
    const { record } = c;
    const mounts = record.config.mounts ?? [];
    return any('id', (v) => record.id.startsWith(v))
      && matchLabels(filters.get('label'), c.labels)
      && matchPattern(filters.get('name'), `/${record.name}`, record.name)
      && matchPattern(filters.get('isolation'), 'default')
      && before.every((at) => c.order > at)
      && since.every((at) => c.order < at)
      && any('status', (v) => record.state.status === v)
      && any('health', (v) => c.health === v)
      && (exited === undefined || ((record.state.status === 'exited' || record.state.status === 'dead') && record.state.startedAt !== ZERO_TIME && exited.includes(record.state.exitCode)))
      && (isTask === undefined || Object.hasOwn(c.labels, TASK_LABEL) === isTask)
      && (ancestors === undefined || ancestors.has(record.imageId))
      && any('volume', (v) => mounts.some((m) => m.target === v || (m.type === 'volume' ? m.name === v : m.type === 'bind' && m.source === v)))
      && any('network', (v) => c.networks.some((n) => n.name === v || (n.id !== undefined && n.id.startsWith(v))))
      && (published === undefined || [...published].some((p) => c.publishedPorts.has(p)))
      && (exposed === undefined || [...exposed].some((p) => c.exposedPorts.has(p)));
  };
}
