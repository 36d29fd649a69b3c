/**
 * The integer fields of the container create and update bodies with their Go types, as dockerd
 * decodes them (container.Config, HostConfig, Resources, UpdateConfig), for `checkGoIntegers`.
 */
import type { GoStruct } from './go-integers.js';

/** HostConfig.Resources, the fields create and update share. */
const RESOURCES = {
  CpuShares: 'int64',
  Memory: 'int64',
  NanoCpus: 'int64',
  BlkioWeight: 'uint16',
  BlkioWeightDevice: { listOf: { type: 'WeightDevice', fields: { Weight: 'uint16' } } },
  BlkioDeviceReadBps: { listOf: { type: 'ThrottleDevice', fields: { Rate: 'uint64' } } },
  BlkioDeviceWriteBps: { listOf: { type: 'ThrottleDevice', fields: { Rate: 'uint64' } } },
  BlkioDeviceReadIOps: { listOf: { type: 'ThrottleDevice', fields: { Rate: 'uint64' } } },
  BlkioDeviceWriteIOps: { listOf: { type: 'ThrottleDevice', fields: { Rate: 'uint64' } } },
  CpuPeriod: 'int64',
  CpuQuota: 'int64',
  CpuRealtimePeriod: 'int64',
  CpuRealtimeRuntime: 'int64',
  KernelMemory: 'int64',
  KernelMemoryTCP: 'int64',
  MemoryReservation: 'int64',
  MemorySwap: 'int64',
  MemorySwappiness: 'int64',
  PidsLimit: 'int64',
  Ulimits: { listOf: { type: 'Ulimit', fields: { Hard: 'int64', Soft: 'int64' } } },
  CpuCount: 'int64',
  CpuPercent: 'int64',
  IOMaximumIOps: 'uint64',
  IOMaximumBandwidth: 'uint64',
} as const satisfies GoStruct['fields'];

const RESTART_POLICY: GoStruct = { type: 'RestartPolicy', fields: { MaximumRetryCount: 'int' } };

/** `POST /containers/create`: Config at the top level (ContainerConfigWrapper), HostConfig. */
export const CONTAINER_CREATE_INTEGERS: GoStruct = {
  type: 'ContainerConfigWrapper',
  fields: {
    StopTimeout: 'int',
    Healthcheck: {
      type: 'HealthConfig',
      fields: { Interval: 'time.Duration', Timeout: 'time.Duration', StartPeriod: 'time.Duration', StartInterval: 'time.Duration', Retries: 'int' },
    },
    HostConfig: {
      type: 'HostConfig',
      fields: {
        ...RESOURCES,
        OomScoreAdj: 'int',
        ShmSize: 'int64',
        ConsoleSize: { listOf: 'uint' },
        RestartPolicy: RESTART_POLICY,
        Mounts: { listOf: { type: 'Mount', fields: { TmpfsOptions: { type: 'TmpfsOptions', fields: { SizeBytes: 'int64', Mode: 'fs.FileMode' } } } } },
      },
    },
  },
};

/** `POST /containers/{id}/update`: UpdateConfig (Resources and RestartPolicy). */
export const CONTAINER_UPDATE_INTEGERS: GoStruct = {
  type: 'UpdateConfig',
  fields: { ...RESOURCES, RestartPolicy: RESTART_POLICY },
};
