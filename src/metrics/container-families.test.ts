import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ContainerFamilies } from './container-families.js';
import type { ContainerSample } from './container-sampler.js';

const counters = { rxBytes: 10, rxPackets: 1, rxErrors: 0, rxDropped: 0, txBytes: 20, txPackets: 2, txErrors: 0, txDropped: 0 };

function sample(name: string, extra: Partial<ContainerSample> = {}): ContainerSample {
  return {
    labels: { id: `/berth/${name}`, name, image: 'busybox', container_label_com_example_tier: 'web "a"' },
    startedAtS: 1700000000.5,
    cgroup: {
      cpu: { totalNs: 1_500_000_000, userNs: 1e9, systemNs: 5e8, periods: 0, throttledPeriods: 0, throttledNs: 2e8 },
      cpuQuotaUs: undefined, cpuPeriodUs: 100000, cpuShares: 1024,
      memory: { usageBytes: 4096, workingSetBytes: 3000, rssBytes: 2048, cacheBytes: 1024, limitBytes: undefined, failcnt: 0, oomKills: 1 },
      processes: 3,
      io: [],
    },
    networks: new Map([['eth0', counters]]),
    io: new Map([['/dev/vda', { read: 4096, write: 8192 }]]),
    fs: { device: '/dev/vda', usageBytes: 12288 },
    ...extra,
  };
}

test('each sample becomes series with cAdvisor names, types and labels; a new load replaces the old', async () => {
  const registry = new Registry();
  const families = new ContainerFamilies(registry);
  families.load([sample('web')], 1700000100.9);
  const text = await registry.metrics();
  const base = 'id="/berth/web",name="web",image="busybox",container_label_com_example_tier="web \\"a\\""';
  assert.match(text, /^# TYPE container_cpu_usage_seconds_total counter$/m);
  assert.ok(text.includes(`container_cpu_usage_seconds_total{cpu="total",${base}} 1.5\n`));
  assert.ok(text.includes(`container_cpu_cfs_throttled_seconds_total{${base}} 0.2\n`));
  assert.match(text, /^# TYPE container_memory_working_set_bytes gauge$/m);
  assert.ok(text.includes(`container_memory_working_set_bytes{${base}} 3000\n`));
  assert.ok(text.includes(`container_spec_memory_limit_bytes{${base}} 0\n`));
  assert.ok(!text.includes('container_spec_cpu_quota{'), 'no quota series without a quota');
  assert.ok(text.includes(`container_spec_cpu_period{${base}} 100000\n`));
  assert.ok(text.includes(`container_network_transmit_bytes_total{interface="eth0",${base}} 20\n`));
  assert.ok(text.includes(`container_fs_writes_bytes_total{device="/dev/vda",${base}} 8192\n`));
  assert.ok(text.includes(`container_fs_usage_bytes{device="/dev/vda",${base}} 12288\n`));
  assert.ok(text.includes(`container_oom_events_total{${base}} 1\n`));
  assert.ok(text.includes(`container_processes{${base}} 3\n`));
  assert.ok(text.includes(`container_last_seen{${base}} 1700000100\n`));
  assert.ok(text.includes(`container_start_time_seconds{${base}} 1700000000.5\n`));
  families.load([], 1700000200);
  assert.doesNotMatch(await registry.metrics(), /name="web"/);
});
