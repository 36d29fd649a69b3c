// A real Prometheus (Debian's) scrapes a real berthd's --metrics-addr every second; its PromQL
// answers show cAdvisor's per-container series with their labels, CPU rates of a busy container,
// and berth's own counters (API requests by route, exits by code). Needs root and /usr/bin/prometheus.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthOk, needsRoot } from '../../support/berth-cli.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { freePort, prometheusMissing, promEventually, startBerthdWithMetrics, startPrometheus, type TestProcess } from './metrics-fixtures.js';

const skip = needsRoot() || prometheusMissing() || false;
if (skip !== false) process.stderr.write(`prometheus-scrape: skipped: ${skip}\n`);

describe('Prometheus scrapes berthd', { skip }, () => {
  let work: string;
  let socket: string;
  let cgroupParent: string;
  let daemon: TestProcess | undefined;
  let prometheus: TestProcess | undefined;
  let promPort: number;
  let metricsUrl: string;
  const ids: Record<string, string> = {};

  let registryPort: number;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> => new Promise((resolve, reject) => {
    const tar = Buffer.isBuffer(body);
    const req = request({ socketPath: socket, path, method, headers: { 'Content-Type': tar ? 'application/x-tar' : 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => { resolve({ status: res.statusCode ?? 0, text }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : tar ? body : JSON.stringify(body));
  });
  /** A tar of `files` (name → content), made by tar(1). */
  const tarOf = async (files: Record<string, string>): Promise<Buffer> => {
    const dir = await mkdtemp(join(work, 'tar-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return execFileSync('tar', ['-c', '-C', dir, '.']);
  };
  const run = async (name: string, cmd: string[], labels: Record<string, string> = {}, hostConfig: Record<string, number> = {}): Promise<void> => {
    const created = await call('POST', `/v1.43/containers/create?name=${name}`, { Image: 'busybox', Cmd: cmd, Labels: labels, HostConfig: hostConfig });
    assert.equal(created.status, 201, created.text);
    ids[name] = (JSON.parse(created.text) as { Id: string }).Id;
    const started = await call('POST', `/v1.43/containers/${name}/start`);
    assert.equal(started.status, 204, started.text);
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-metrics-'));
    socket = join(work, 'berth.sock');
    cgroupParent = `/${testCgroupName()}`;
    const root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    registryPort = await freePort();
    ({ daemon, metricsUrl } = await startBerthdWithMetrics(root, socket, ['--cgroup-parent', cgroupParent, '--registry-addr', `127.0.0.1:${registryPort}`]));
    await run('busy', ['sh', '-c', 'while :; do :; done'], { 'com.example.tier': 'web' });
    await run('idle', ['sleep', '1000']);
    // A child that outgrows the limit is OOM-killed; the shell (the container's init) lives on.
    await run('limited', ['sh', '-c', 'tail /dev/zero; sleep 1000'], {}, { Memory: 16 * 1024 * 1024, NanoCpus: 500_000_000 });
    promPort = await freePort();
    await mkdir(join(work, 'prometheus'));
    prometheus = await startPrometheus(join(work, 'prometheus'), promPort, new URL(metricsUrl).host);
  });
  after(async () => {
    await prometheus?.stop();
    if (daemon?.running === true) {
      for (const name of Object.keys(ids)) await call('DELETE', `/v1.43/containers/${name}?force=1`).catch(() => undefined);
    }
    await daemon?.stop();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('the target is up and serves the text format on both the TCP address and the API socket', async () => {
    await promEventually(promPort, 'up{job="berth"} == 1');
    const overSocket = await call('GET', '/metrics');
    assert.equal(overSocket.status, 200);
    assert.match(overSocket.text, /^# TYPE container_memory_working_set_bytes gauge$/m);
    const overTcp = await fetch(metricsUrl);
    assert.match(overTcp.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal((await fetch(new URL('/containers/json', metricsUrl))).status, 404, 'the metrics address serves nothing but /metrics');
  });

  test('per-container series carry cAdvisor\'s names and labels', async () => {
    const [memory] = await promEventually(promPort, 'container_memory_working_set_bytes{name="busy"} > 0');
    assert.ok(memory !== undefined);
    assert.equal(memory.metric.id, `${cgroupParent}/${ids.busy ?? ''}`);
    assert.equal(memory.metric.image, 'busybox');
    assert.equal(memory.metric.container_label_com_example_tier, 'web');
    for (const name of ['container_memory_usage_bytes', 'container_memory_rss', 'container_memory_cache', 'container_spec_memory_limit_bytes',
      'container_spec_cpu_period', 'container_processes', 'container_start_time_seconds', 'container_last_seen', 'container_oom_events_total',
      'container_cpu_cfs_throttled_seconds_total', 'container_network_receive_bytes_total', 'container_network_transmit_packets_total', 'container_fs_usage_bytes']) {
      const series = await promEventually(promPort, `${name}{name="idle"}`);
      assert.equal(series.length, 1, name);
      if (name.startsWith('container_network_')) assert.equal(series[0]?.metric.interface, 'eth0', name);
    }
    await promEventually(promPort, 'container_processes{name="idle"} == 1');
  });

  test('limits show as spec series; an OOM kill inside a running container counts', async () => {
    await promEventually(promPort, `container_spec_memory_limit_bytes{name="limited"} == ${16 * 1024 * 1024}`);
    await promEventually(promPort, 'container_spec_cpu_quota{name="limited"} == 50000 and on (name) container_spec_cpu_period{name="limited"} == 100000');
    await promEventually(promPort, 'container_oom_events_total{name="limited"} >= 1');
    assert.deepEqual(await promEventually(promPort, 'container_spec_cpu_quota{name="idle"}', () => true), [], 'no quota series without a quota');
  });

  test('a busy container\'s CPU rate is high and an idle one\'s is near zero', async () => {
    const [busy] = await promEventually(promPort, 'rate(container_cpu_usage_seconds_total{name="busy",cpu="total"}[5s]) > 0.2');
    assert.ok(busy !== undefined);
    const [idle] = await promEventually(promPort, 'rate(container_cpu_usage_seconds_total{name="idle",cpu="total"}[5s])');
    assert.ok(Number(idle?.value[1]) < 0.05, `idle rate ${idle?.value[1] ?? '?'}`);
  });

  test('berth\'s own counters: API requests by route pattern, starts, exits by code', async () => {
    await promEventually(promPort, 'berth_api_requests_total{route="/containers/:id/start",method="POST",status="204"} >= 3');
    await promEventually(promPort, 'berth_container_start_duration_seconds_count >= 3');
    await promEventually(promPort, 'berth_containers{state="running"} == 3');
    const raw = await promEventually(promPort, 'count(berth_api_requests_total{route=~".*[0-9a-f]{64}.*"}) or vector(0)');
    assert.equal(raw[0]?.value[1], '0', 'no raw container ids in route labels');
    assert.equal((await call('POST', '/v1.43/containers/busy/kill')).status, 204);
    await promEventually(promPort, 'berth_container_exits_total{code="137"} >= 1');
    await promEventually(promPort, 'berth_events_total{type="container",action="die"} >= 1');
    await promEventually(promPort, 'absent(container_last_seen{name="busy"}) or (time() - container_last_seen{name="busy"} > 3)');
  });

  test('bytes pulled, pushed and sent as build contexts count, and the store\'s sizes show', async () => {
    const repo = `127.0.0.1:${registryPort}/metrics/tiny`;
    const imported = await call('POST', `/v1.43/images/create?fromSrc=-&repo=${repo}&tag=1`, await tarOf({ 'data.txt': 'x'.repeat(64 * 1024) }));
    assert.equal(imported.status, 200, imported.text);
    const auth = { 'X-Registry-Auth': Buffer.from('{}').toString('base64url') };
    const pushed = await call('POST', `/v1.43/images/${repo}/push?tag=1`, undefined, auth);
    assert.ok(pushed.status === 200 && !pushed.text.includes('errorDetail'), pushed.text);
    assert.equal((await call('DELETE', `/v1.43/images/${repo}:1`)).status, 200);
    const pulled = await call('POST', `/v1.43/images/create?fromImage=${repo}&tag=1`, undefined, auth);
    assert.ok(pulled.status === 200 && !pulled.text.includes('errorDetail'), pulled.text);
    const context = await tarOf({ Dockerfile: 'FROM busybox\nLABEL metrics=yes\n' });
    const built = await call('POST', '/v1.43/build?t=metrics/built:1', context);
    assert.ok(built.status === 200 && !built.text.includes('errorDetail'), built.text);
    // The layer is 64 KiB of one byte: gzip makes it small, but never nothing.
    await promEventually(promPort, 'berth_image_push_bytes_total > 0');
    await promEventually(promPort, 'berth_image_pull_bytes_total > 0');
    await promEventually(promPort, `berth_build_context_bytes_total >= ${context.length}`);
    await promEventually(promPort, 'berth_store_images >= 3');
    for (const series of ['berth_store_layers', 'berth_store_layer_bytes', 'berth_store_blobs', 'berth_store_blob_bytes', 'berth_store_database_bytes']) {
      await promEventually(promPort, `${series} > 0`);
    }
    await promEventually(promPort, 'berth_store_volumes == 0');
  });
});
