/**
 * HostConfig fields of `POST /containers/create` beyond the common ones: GroupAdd, VolumesFrom,
 * Links, DeviceCgroupRules, MemorySwappiness, VolumeDriver, Isolation, CpuRealtimePeriod and
 * CpuRealtimeRuntime. Checked at the boundary with dockerd's messages, prefixed with the field
 * (MemorySwappiness's range by resource-ranges.ts, with the other resources);
 * what needs the container's image or other containers (group names, the containers named) is
 * checked later by the engine.
 */
import { errors } from '../base/errors.js';
import { parseLink } from '../engine/container-links.js';
import type { CreateContainerRequest } from '../engine/create-container.js';
import { parseVolumesFrom } from '../engine/volumes-from.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import { parseDeviceCgroupRules } from '../runtime/spec/device-cgroup-rules.js';
import { engineNumber } from '../wire/integers.js';
import type { HostConfigExtras } from '../wire/containers.js';

export interface HostExtrasRequest {
  options: Pick<ContainerOptions, 'groupAdd' | 'deviceCgroupRules' | 'memorySwappiness' | 'cpuRealtimePeriod' | 'cpuRealtimeRuntime'>;
  request: Pick<CreateContainerRequest, 'volumesFrom' | 'links' | 'volumeDriver' | 'isolation'>;
}

function invalid(reason: string, field: string, message: string): never {
  throw errors.invalidArgument(reason, `HostConfig.${field}: ${message}`);
}

/** The options and request parts of these fields (absent, null and Docker's "unset" values left out). Throws invalid-argument naming the field. */
export function hostConfigExtras(host: HostConfigExtras): HostExtrasRequest {
  const out: HostExtrasRequest = { options: {}, request: {} };
  if (host.GroupAdd) out.options.groupAdd = host.GroupAdd;
  if (host.DeviceCgroupRules) {
    parseDeviceCgroupRules(host.DeviceCgroupRules, 'HostConfig.DeviceCgroupRules');
    out.options.deviceCgroupRules = host.DeviceCgroupRules;
  }
  const swappiness = engineNumber(host.MemorySwappiness ?? -1);
  if (swappiness >= 0) out.options.memorySwappiness = swappiness;
  const period = host.CpuRealtimePeriod ?? 0;
  const runtime = host.CpuRealtimeRuntime ?? 0;
  if (period < 0) invalid('invalid-resources', 'CpuRealtimePeriod', `${period} is negative`);
  if (period !== 0 && runtime > period) invalid('invalid-resources', 'CpuRealtimeRuntime', 'cpu real-time runtime cannot be higher than cpu real-time period');
  if (period !== 0) out.options.cpuRealtimePeriod = period;
  if (runtime !== 0) out.options.cpuRealtimeRuntime = runtime;
  if (host.VolumesFrom) out.request.volumesFrom = host.VolumesFrom.map((spec, i) => parseVolumesFrom(spec, `HostConfig.VolumesFrom[${i}]`));
  if (host.Links && host.Links.length > 0) out.request.links = host.Links.map((link, i) => parseLink(link, `HostConfig.Links[${i}]`));
  const isolation = host.Isolation ?? '';
  if (isolation !== '' && isolation !== 'default') invalid('unsupported-isolation', 'Isolation', `Invalid isolation: "${isolation}" - linux only supports 'default'`);
  if (isolation !== '') out.request.isolation = isolation;
  if ((host.VolumeDriver ?? '') !== '') out.request.volumeDriver = host.VolumeDriver ?? '';
  return out;
}
