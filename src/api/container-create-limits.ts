/** berth's size limits (input-limits.ts) applied to a container create body. */
import type { MountRequest } from '../volumes/mount-request.js';
import { checkArguments, checkBytes, checkCount, checkEnv, checkLabels, checkName, checkStrings, INPUT_LIMITS as LIMITS } from './input-limits.js';

const list = (value: string | readonly string[] | null | undefined): readonly string[] | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'string' ? [value] : value;

/** The parts of a create body the limits look at. */
export interface CreateLimitFields {
  Hostname?: string | null | undefined;
  Domainname?: string | null | undefined;
  User?: string | null | undefined;
  WorkingDir?: string | null | undefined;
  Env?: readonly string[] | null | undefined;
  Cmd?: string | readonly string[] | null | undefined;
  Entrypoint?: string | readonly string[] | null | undefined;
  Labels?: Readonly<Record<string, string>> | null | undefined;
  Volumes?: Readonly<Record<string, unknown>> | null | undefined;
  HostConfig?: {
    Binds?: readonly string[] | null | undefined;
    Mounts?: readonly { VolumeOptions?: { Labels?: Readonly<Record<string, string>> | null | undefined } | null | undefined }[] | null | undefined;
    Tmpfs?: Readonly<Record<string, string>> | null | undefined;
    ExtraHosts?: readonly string[] | null | undefined;
    Dns?: readonly string[] | null | undefined;
    DnsSearch?: readonly string[] | null | undefined;
  } | null | undefined;
}

/**
 * Refuses a create body (and the name from the query) beyond berth's limits: invalid-argument
 * `input-too-large` naming the field, its size and the limit. Pure.
 */
export function checkCreateLimits(body: CreateLimitFields, name: string | undefined): void {
  checkName('container', name);
  checkBytes('Hostname', body.Hostname, LIMITS.hostnameBytes);
  checkBytes('Domainname', body.Domainname, LIMITS.domainnameBytes);
  checkBytes('User', body.User, LIMITS.userBytes);
  checkBytes('WorkingDir', body.WorkingDir, LIMITS.workingDirBytes);
  checkEnv(body.Env);
  checkArguments({ Cmd: list(body.Cmd), Entrypoint: list(body.Entrypoint) });
  checkLabels(body.Labels);
  const host = body.HostConfig ?? {};
  checkCount('HostConfig.ExtraHosts', host.ExtraHosts?.length ?? 0, LIMITS.extraHosts);
  checkStrings('HostConfig.ExtraHosts', host.ExtraHosts, LIMITS.extraHostBytes, LIMITS.extraHosts * LIMITS.extraHostBytes);
  for (const field of ['Dns', 'DnsSearch'] as const) {
    checkCount(`HostConfig.${field}`, host[field]?.length ?? 0, LIMITS.dnsEntries);
    checkStrings(`HostConfig.${field}`, host[field], LIMITS.dnsEntryBytes, LIMITS.dnsEntries * LIMITS.dnsEntryBytes);
  }
  const mounts = (host.Binds?.length ?? 0) + (host.Mounts?.length ?? 0) + Object.keys(host.Tmpfs ?? {}).length + Object.keys(body.Volumes ?? {}).length;
  checkCount('Binds, Mounts, Tmpfs and Volumes', mounts, LIMITS.mounts);
  (host.Mounts ?? []).forEach((mount, index) => { checkLabels(mount.VolumeOptions?.Labels, `HostConfig.Mounts[${index}] label`); });
}

/** The names of the volumes a create's mounts name (Binds `name:/path`, Mounts Source). */
export function checkVolumeNames(mounts: readonly MountRequest[] | undefined): void {
  for (const mount of mounts ?? []) if (mount.type === 'volume') checkName('volume', mount.source);
}
