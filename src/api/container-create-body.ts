/**
 * `POST /containers/create`: Docker's body (Config fields at the top level, HostConfig,
 * NetworkingConfig) validated at the boundary (the schema: `../wire/containers.ts`) and turned
 * into the engine's request. Unknown fields
 * are ignored; zero values mean "default", as the docker CLI sends them.
 */
import { errors } from '../base/errors.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import type { CreateContainerRequest } from '../engine/create-container.js';
import { mountRequestsFromBody } from './container-mounts-body.js';
import { networkFromBody } from './container-network-body.js';
import { checkRestartPolicy } from '../engine/restart/restart-policy.js';
import type { UsernsMode } from '../runtime/userns/id-ranges.js';
import { hostConfigExtras } from './container-host-fields.js';
import { checkGoIntegers } from './go-integers.js';
import { engineNumber } from '../wire/integers.js';
import { containerCreateBodySchema, type ContainerCreateBody } from '../wire/containers.js';
import { CONTAINER_CREATE_INTEGERS } from './container-body-integers.js';
import { checkCreateLimits, checkVolumeNames } from './container-create-limits.js';
import { checkResources, type HostResources } from './resource-ranges.js';
import { parseSchema } from '../oci/parse-json.js';

/** A limit as the engine takes it; zero, null and absent mean "none". */
const nonZero = (value: number | bigint | null | undefined): number | undefined =>
  (value === null || value === undefined || value === 0 || value === 0n ? undefined : engineNumber(value));
const text = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);
const list = (value: string | string[] | null | undefined): string[] | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'string' ? [value] : value;

function namespaceMode(field: string, value: string | null | undefined, privateAliases: string[] = []): 'private' | 'host' | undefined {
  const mode = text(value);
  if (mode === undefined || mode === 'private' || privateAliases.includes(mode)) return mode === undefined ? undefined : 'private';
  if (mode === 'host') return 'host';
  throw errors.invalidArgument('unsupported-mode', `HostConfig.${field}: "${mode}" is not supported (use private or host)`);
}

/** HostConfig.UsernsMode: `auto` or `host`; empty = the daemon's default (`--userns-default`). */
function usernsMode(value: string | null | undefined): UsernsMode | undefined {
  const mode = text(value);
  if (mode === undefined || mode === 'auto' || mode === 'host') return mode;
  throw errors.invalidArgument('unsupported-mode', `HostConfig.UsernsMode: "${mode}" is not supported (use auto or host)`);
}

/** ContainerOptions as first built here: an undefined field is dropped before it goes to the engine. */
type OptionsDraft = { [K in keyof ContainerOptions]?: ContainerOptions[K] | undefined };

/** Validated body → the engine's create request. Throws invalid-argument naming the field. */
export function createRequestFromBody(body: ContainerCreateBody, name: string | undefined): CreateContainerRequest {
  const host = body.HostConfig ?? {};
  const networking = networkFromBody(body);
  const extras = hostConfigExtras(host);
  const options: OptionsDraft = {
    cmd: list(body.Cmd),
    entrypoint: list(body.Entrypoint),
    env: body.Env ?? undefined,
    workingDir: text(body.WorkingDir),
    user: text(body.User),
    hostname: text(body.Hostname),
    domainname: text(body.Domainname),
    labels: body.Labels ?? undefined,
    tty: body.Tty ?? false,
    openStdin: body.OpenStdin ?? false,
    readOnly: host.ReadonlyRootfs ?? false,
    privileged: host.Privileged ?? false,
    capAdd: host.CapAdd ?? undefined,
    capDrop: host.CapDrop ?? undefined,
    securityOpt: host.SecurityOpt ?? undefined,
    memory: nonZero(host.Memory),
    memorySwap: nonZero(host.MemorySwap),
    memoryReservation: nonZero(host.MemoryReservation),
    cpuShares: nonZero(host.CpuShares),
    cpuQuota: nonZero(host.CpuQuota),
    cpuPeriod: nonZero(host.CpuPeriod),
    nanoCpus: nonZero(host.NanoCpus),
    cpusetCpus: text(host.CpusetCpus),
    cpusetMems: text(host.CpusetMems),
    pidsLimit: nonZero(host.PidsLimit),
    ulimits: host.Ulimits?.map((u) => ({ name: u.Name, soft: engineNumber(u.Soft), hard: engineNumber(u.Hard) })),
    shmSize: nonZero(host.ShmSize),
    tmpfs: host.Tmpfs ?? undefined,
    sysctls: host.Sysctls ?? undefined,
    oomScoreAdj: nonZero(host.OomScoreAdj),
    networkMode: networking.networkMode,
    ipcMode: namespaceMode('IpcMode', host.IpcMode, ['shareable']),
    pidMode: namespaceMode('PidMode', host.PidMode),
    utsMode: namespaceMode('UTSMode', host.UTSMode),
    cgroupnsMode: namespaceMode('CgroupnsMode', host.CgroupnsMode),
    init: host.Init === true ? true : undefined,
    ...extras.options,
  };
  const request: CreateContainerRequest = {
    image: body.Image,
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    autoRemove: host.AutoRemove ?? false,
    stdinOnce: body.StdinOnce ?? false,
    attachStdin: body.AttachStdin ?? false,
    attachStdout: body.AttachStdout ?? true,
    attachStderr: body.AttachStderr ?? true,
    ...extras.request,
  };
  if (name !== undefined && name !== '') request.name = name;
  const mounts = mountRequestsFromBody(host.Binds, host.Mounts, body.Volumes, extras.request.volumeDriver);
  if (mounts.length > 0) request.mounts = mounts;
  if (networking.network !== undefined) request.network = networking.network;
  const runtime = text(host.Runtime);
  if (runtime !== undefined) request.runtime = runtime;
  const userns = usernsMode(host.UsernsMode);
  if (userns !== undefined) request.usernsMode = userns;
  if (host.ConsoleSize) request.consoleSize = host.ConsoleSize;
  const stopSignal = text(body.StopSignal);
  if (stopSignal !== undefined) request.stopSignal = stopSignal;
  if (body.StopTimeout !== null && body.StopTimeout !== undefined) request.stopTimeout = body.StopTimeout;
  const restart = host.RestartPolicy;
  if (restart) request.restartPolicy = checkRestartPolicy(restart.Name ?? '', restart.MaximumRetryCount ?? 0, request.autoRemove === true);
  if (body.Healthcheck) request.healthcheck = body.Healthcheck;
  // Checked by the engine against the daemon's default, as dockerd merges and checks it.
  if (host.LogConfig) request.log = { type: host.LogConfig.Type ?? '', config: host.LogConfig.Config ?? {} };
  return request;
}

export interface ContainerCreate {
  request: CreateContainerRequest;
  /** dockerd's warnings for what is discarded (a swappiness the host cannot set, a kernel memory limit, …). */
  warnings: string[];
}

/**
 * The whole boundary of `POST /containers/create`: integers as dockerd decodes them, the schema,
 * berth's size limits, dockerd's resource checks against the host, then the engine's request.
 * Throws invalid-argument naming the field (or with dockerd's message).
 */
export function containerCreate(raw: unknown, name: string | undefined, host: HostResources): ContainerCreate {
  checkGoIntegers(raw, CONTAINER_CREATE_INTEGERS);
  const body = parseSchema(containerCreateBodySchema, raw, 'container config');
  checkCreateLimits(body, name);
  const resources = checkResources(body.HostConfig ?? {}, host, false);
  const request = createRequestFromBody({ ...body, HostConfig: { ...body.HostConfig, ...resources.adjusted } }, name);
  checkVolumeNames(request.mounts);
  return { request, warnings: resources.warnings };
}
