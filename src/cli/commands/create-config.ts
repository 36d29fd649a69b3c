/**
 * `run` / `create` flags → the body of `POST /containers/create`, as the docker CLI builds it. Pure
 * (the local environment is passed in, for `-e KEY`). Throws invalid-argument naming the flag.
 */
import { errors } from '../../base/errors.js';
import { parseByteSize } from '../../base/byte-size.js';
import type { ContainerCreateConfig, ContainerUpdate, HostConfig, Ulimit } from '../../wire/containers.js';
import type { CreateFlags, ResourceFlags } from './container-flags.js';
import { parseMountFlag, splitVolumeFlags } from './mount-flag.js';
import { networkingFromFlags } from './network-flags.js';
import { lifecycleFields } from './lifecycle-flags.js';

/** `key=value` pairs (`key` alone → empty value unless `requireValue`). */
export function keyValues(values: string[], flag: string, requireValue = false): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at === 0 || (requireValue && at < 0)) throw errors.invalidArgument('invalid-flag', `${flag} ${item}: want key=value`);
    if (at < 0) map[item] = '';
    else map[item.slice(0, at)] = item.slice(at + 1);
  }
  return map;
}

/** `-e KEY=VALUE` as is; `-e KEY` takes KEY from `environment`, or is left out when unset there. */
export function envList(values: string[], environment: Record<string, string | undefined>): string[] {
  return values.flatMap((item) => {
    if (item.startsWith('=')) throw errors.invalidArgument('invalid-flag', `--env ${item}: variable name is empty`);
    if (item.includes('=')) return [item];
    const value = environment[item];
    return value === undefined ? [] : [`${item}=${value}`];
  });
}

export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw errors.invalidArgument('invalid-flag', `${flag} ${value}: not an integer`);
  return n;
}

export function size(value: string | undefined, flag: string, allowUnlimited = false): number | undefined {
  if (value === undefined) return undefined;
  if (allowUnlimited && value.trim() === '-1') return -1;
  return parseByteSize(value, flag);
}

/** `nofile=1024:2048` (hard defaults to soft). */
export function parseUlimit(text: string): Ulimit {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text);
  if (match === null) throw errors.invalidArgument('invalid-flag', `--ulimit ${text}: want name=soft[:hard], e.g. nofile=1024:2048`);
  const soft = Number(match[2]);
  const hard = match[3] === undefined ? soft : Number(match[3]);
  if (soft !== -1 && hard !== -1 && soft > hard) throw errors.invalidArgument('invalid-flag', `--ulimit ${text}: soft limit ${soft} is above the hard limit ${hard}`);
  return { Name: match[1] ?? '', Soft: soft, Hard: hard };
}

/** HostConfig's resource fields from the flags given (absent ones undefined). Throws invalid-argument naming the flag. */
export function resourceFields(flags: ResourceFlags): ContainerUpdate {
  return {
    Memory: size(flags.memory, '--memory'),
    MemorySwap: size(flags.memorySwap, '--memory-swap', true),
    MemoryReservation: size(flags.memoryReservation, '--memory-reservation'),
    NanoCpus: flags.cpus === undefined ? undefined : nanoCpus(flags.cpus),
    CpuShares: integer(flags.cpuShares, '--cpu-shares'),
    CpuPeriod: integer(flags.cpuPeriod, '--cpu-period'),
    CpuQuota: integer(flags.cpuQuota, '--cpu-quota'),
    CpusetCpus: flags.cpusetCpus,
    CpusetMems: flags.cpusetMems,
    PidsLimit: integer(flags.pidsLimit, '--pids-limit'),
  };
}

/** `--cpus 1.5` → NanoCpus. */
export function nanoCpus(value: string): number {
  const cpus = Number(value);
  if (value.trim() === '' || !Number.isFinite(cpus) || cpus < 0) throw errors.invalidArgument('invalid-flag', `--cpus ${value}: want a positive number such as 1.5`);
  return Math.round(cpus * 1e9);
}

/** `/run:rw,size=64m` → { '/run': 'rw,size=64m' }. */
export function tmpfsMounts(values: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf(':');
    const path = at < 0 ? item : item.slice(0, at);
    if (!path.startsWith('/')) throw errors.invalidArgument('invalid-flag', `--tmpfs ${item}: the path must be absolute`);
    map[path] = at < 0 ? '' : item.slice(at + 1);
  }
  return map;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

function nonEmptyMap(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length === 0 ? undefined : map;
}

/**
 * The create body for `image` running `args` (empty: the image's command). `detach` is `run -d`;
 * `create` never attaches, but records stdout/stderr attachment as Docker does.
 */
export function createConfigFromFlags(image: string, args: string[], flags: CreateFlags, environment: Record<string, string | undefined>): ContainerCreateConfig {
  if (flags.pull !== undefined && !['missing', 'never'].includes(flags.pull)) {
    throw errors.invalidArgument('pull-unsupported', `--pull ${flags.pull}: berth cannot pull from registries yet (use missing or never)`);
  }
  const detach = flags.detach === true;
  const interactive = flags.interactive === true;
  const logOpts = keyValues(flags.logOpt, '--log-opt', true);
  const volumes = splitVolumeFlags(flags.volume);
  const networking = networkingFromFlags(flags);
  const { RestartPolicy, Healthcheck, Labels } = lifecycleFields(flags, nonEmptyMap(keyValues(flags.label, '--label')));
  const host: HostConfig = defined({
    ...resourceFields(flags),
    Ulimits: nonEmpty(flags.ulimit.map(parseUlimit)),
    CapAdd: nonEmpty(flags.capAdd),
    CapDrop: nonEmpty(flags.capDrop),
    Privileged: flags.privileged === true ? true : undefined,
    ReadonlyRootfs: flags.readOnly === true ? true : undefined,
    SecurityOpt: nonEmpty(flags.securityOpt),
    ShmSize: size(flags.shmSize, '--shm-size'),
    Tmpfs: nonEmptyMap(tmpfsMounts(flags.tmpfs)),
    Sysctls: nonEmptyMap(keyValues(flags.sysctl, '--sysctl', true)),
    OomScoreAdj: integer(flags.oomScoreAdj, '--oom-score-adj'),
    NetworkMode: flags.network,
    IpcMode: flags.ipc,
    PidMode: flags.pid,
    UTSMode: flags.uts,
    CgroupnsMode: flags.cgroupns,
    UsernsMode: flags.userns,
    AutoRemove: flags.rm === true ? true : undefined,
    Binds: nonEmpty(volumes.binds),
    Mounts: nonEmpty(flags.mount.map(parseMountFlag)),
    Init: flags.init === true ? true : undefined,
    Runtime: flags.runtime,
    LogConfig: flags.logDriver === undefined && flags.logOpt.length === 0 ? undefined : { Type: flags.logDriver ?? '', Config: logOpts },
    ...networking.host,
    RestartPolicy,
  });
  return defined({
    Image: image,
    Cmd: nonEmpty(args),
    Entrypoint: flags.entrypoint === undefined ? undefined : [flags.entrypoint],
    Env: nonEmpty(envList(flags.env, environment)),
    WorkingDir: flags.workdir,
    User: flags.user,
    Hostname: flags.hostname,
    Domainname: flags.domainname,
    Labels: Labels ?? nonEmptyMap(keyValues(flags.label, '--label')),
    Tty: flags.tty === true,
    OpenStdin: interactive,
    StdinOnce: interactive && !detach,
    AttachStdin: interactive && !detach,
    AttachStdout: !detach,
    AttachStderr: !detach,
    StopSignal: flags.stopSignal,
    StopTimeout: integer(flags.stopTimeout, '--stop-timeout'),
    Volumes: Object.keys(volumes.volumes).length === 0 ? undefined : volumes.volumes,
    Healthcheck,
    HostConfig: host,
    ExposedPorts: networking.exposedPorts,
    MacAddress: networking.macAddress,
    NetworkingConfig: networking.networkingConfig,
  });
}
