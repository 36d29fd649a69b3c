// The overview's cluster part in a real browser: a berthd serving the dashboard is made a one-node
// cluster manager with `berth cluster init` (its etcd member and cluster port on a loopback address
// of its own), a replicated service of one busybox task is created with `berth service create`,
// and the overview, refreshing by itself, shows the node (ready, manager, leader) and the service
// with 1 / 1 tasks running, as `berth service ls` does. The cluster part is hidden until then.
// Whatever happens, the service is removed, the node leaves, its containers go and berthd stops.
// Needs root, /usr/bin/chromium and /usr/bin/etcd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BerthClient } from '../../../src/client/berth-client.js';
import { needsRoot } from '../../support/berth-cli.js';
import type { TestProcess } from '../metrics/metrics-fixtures.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { berthCli, chromiumMissing, launchChromium, startBerthdWithDashboard } from './dashboard-fixtures.js';

const ETCD = '/usr/bin/etcd';
const skip = needsRoot() || chromiumMissing() || (existsSync(ETCD) ? false : `${ETCD} is not installed (the cluster manager's store)`);
if (skip !== false) process.stderr.write(`dashboard cluster: skipped: ${skip}\n`);

const NODE_NAME = 'dash-node';
const SERVICE = 'dash-svc';
/** Placement, the image and the start take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 120_000;

interface PageState {
  refreshes: number;
}

describe('the overview\'s cluster part in a real browser', { skip }, () => {
  let work: string;
  let socket: string;
  let daemon: TestProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let loginUrl: string;
  const consoleErrors: string[] = [];
  // The manager's etcd (2379, 2380) and cluster port (2377) on an address no other test uses.
  const address = `127.${randomInt(64, 128)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const cli = (args: readonly string[]): Promise<string> => berthCli(['--host', `unix://${socket}`, ...args]);
  const refreshes = (): Promise<number> => page.evaluate(() => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.refreshes);
  const afterRefreshes = async (count: number): Promise<void> => {
    const seen = await refreshes();
    await page.waitForFunction((n) => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.refreshes >= n, seen + count, { timeout: 30_000 });
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-dashboard-cluster-'));
    socket = join(work, 'berth.sock');
    const root = join(work, 'root');
    await berthCli(['--root', root, 'image', 'bootstrap', 'busybox']);
    ({ daemon } = await startBerthdWithDashboard(root, socket, ['--cgroup-parent', `/${testCgroupName()}`, '--node-name', NODE_NAME]));
    loginUrl = (await berthCli(['--root', root, 'dashboard', 'url'])).trim();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`); });
    page.on('pageerror', (err) => { consoleErrors.push(`${page.url()}: ${err.message}`); });
  });
  after(async () => {
    await browser?.close();
    if (daemon?.running === true) {
      await cli(['service', 'rm', SERVICE]).catch(() => undefined);
      await cli(['cluster', 'leave', '--force']).catch(() => undefined);
      const client = new BerthClient(socket);
      for (const c of await client.containers.list({ all: true }).catch(() => [])) await client.containers.remove(c.Id, { force: true }).catch(() => undefined);
    }
    await daemon?.stop();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('outside a cluster the overview has no cluster part', async () => {
    await page.goto(loginUrl);
    await afterRefreshes(1);
    assert.equal(await page.locator('#cluster-section').isHidden(), true);
    assert.deepEqual(consoleErrors, []);
  });

  test('on a one-node manager the overview shows the node, and the service once its task runs', async () => {
    await cli(['cluster', 'init', '--advertise-addr', address, '--listen-addr', `${address}:2377`]);
    await cli(['service', 'create', '--name', SERVICE, '--replicas', '1', '--detach', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done']);
    // The page refreshes by itself (every few seconds, and at each event): no reload, no sleep.
    await page.locator('#cluster-section').waitFor({ state: 'visible', timeout: CONVERGE_MS });
    const node = page.locator('#nodes tbody tr', { hasText: NODE_NAME });
    await node.filter({ hasText: 'ready' }).waitFor({ timeout: CONVERGE_MS });
    const nodeCells = await node.locator('td').allInnerTexts();
    assert.deepEqual(nodeCells.map((cell) => cell.trim()), [`${NODE_NAME} (leader)`, 'manager', 'ready', 'active']);
    assert.equal(await page.locator('#nodes tbody tr').count(), 1, 'one node');
    const service = page.locator('#services tbody tr', { hasText: SERVICE });
    await service.filter({ hasText: '1 / 1' }).waitFor({ timeout: CONVERGE_MS });
    assert.deepEqual((await service.locator('td').allInnerTexts()).map((cell) => cell.trim()), [SERVICE, 'replicated', '1 / 1']);
    assert.match(await cli(['service', 'ls']), new RegExp(`${SERVICE}\\s+replicated\\s+1/1`), 'as berth service ls has it');
    // The page keeps what it shows over further refreshes: the task stays running.
    await afterRefreshes(2);
    assert.deepEqual((await service.locator('td').allInnerTexts()).map((cell) => cell.trim()), [SERVICE, 'replicated', '1 / 1']);
    assert.equal(await page.locator(`a[data-container^="${SERVICE}.1."]`).count(), 1, 'its task\'s container is among the containers');
    assert.deepEqual(consoleErrors, []);
  });
});
