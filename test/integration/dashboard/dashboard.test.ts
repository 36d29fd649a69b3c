// The web dashboard in a real browser: a real berthd serves --dashboard-addr on loopback and
// Debian's chromium (headless, through playwright-core) logs in with the URL `berth dashboard url`
// prints. Without the token every page and API call answers 401; the pages load without console
// errors; a container started from the CLI appears within one refresh of the overview; its charts
// draw points; its stop button, once confirmed, stops it. Needs root and /usr/bin/chromium.
// With BERTH_DASHBOARD_SCREENSHOTS=DIR the main pages are saved there as PNG (docs/images/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { needsRoot } from '../../support/berth-cli.js';
import type { TestProcess } from '../metrics/metrics-fixtures.js';
import { eventually, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { berthCli, chromiumMissing, launchChromium, startBerthdWithDashboard } from './dashboard-fixtures.js';

const skip = needsRoot() || chromiumMissing() || false;
if (skip !== false) process.stderr.write(`dashboard: skipped: ${skip}\n`);
const SCREENSHOTS = process.env.BERTH_DASHBOARD_SCREENSHOTS;

interface PageState {
  refreshes: number;
  charts: Record<string, { plot: { data: unknown[][] } } | undefined>;
}

describe('the web dashboard in a real browser', { skip }, () => {
  let work: string;
  let socket: string;
  let daemon: TestProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  let loginUrl: string;
  const consoleErrors: string[] = [];
  const host = (): string => `unix://${socket}`;
  const running = async (name: string): Promise<boolean> => (JSON.parse(await berthCli(['--host', host(), 'inspect', name])) as { State: { Running: boolean } }[])[0]?.State.Running === true;
  const screenshot = async (name: string): Promise<void> => {
    if (SCREENSHOTS === undefined || SCREENSHOTS === '') return;
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
  };
  const refreshes = (): Promise<number> => page.evaluate(() => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.refreshes);

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-dashboard-'));
    socket = join(work, 'berth.sock');
    const root = join(work, 'root');
    await berthCli(['--root', root, 'image', 'bootstrap', 'busybox']);
    ({ daemon, url } = await startBerthdWithDashboard(root, socket, ['--cgroup-parent', `/${testCgroupName()}`]));
    loginUrl = (await berthCli(['--root', root, 'dashboard', 'url'])).trim();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`); });
    page.on('pageerror', (err) => { consoleErrors.push(`${page.url()}: ${err.message}`); });
  });
  after(async () => {
    await browser?.close();
    if (daemon?.running === true) await berthCli(['--host', host(), 'rm', '-f', 'dash-web']).catch(() => undefined);
    await daemon?.stop();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('without the token, every page and API call answers 401', async () => {
    assert.match(loginUrl, /^http:\/\/127\.0\.0\.1:\d+\/login\?token=[A-Za-z0-9_-]{32,}$/);
    for (const path of ['/', '/container.html', '/dashboard.js', '/api/overview', '/api/containers', '/login?token=wrong-token-of-the-right-length-000000']) {
      assert.equal((await fetch(`${url}${path}`)).status, 401, `GET ${path}`);
    }
    assert.equal((await fetch(`${url}/api/overview`, { headers: { Authorization: 'Bearer not-the-token-not-the-token-not-the-token' } })).status, 401);
    assert.equal((await fetch(`${url}/api/overview`, { headers: { Cookie: 'berth_dashboard=not-the-token-not-the-token-not' } })).status, 401);
    const stranger = await browser!.newContext();
    const shown = await (await stranger.newPage()).goto(`${url}/`);
    assert.equal(shown?.status(), 401, 'a browser without the cookie gets 401 too');
    await stranger.close();
  });

  test('the login URL sets the session; the overview loads without console errors', async () => {
    const answer = await page.goto(loginUrl);
    assert.equal(answer?.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/', 'the login redirects to the overview');
    const cookie = (await context.cookies()).find((c) => c.name === 'berth_dashboard');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    await page.waitForFunction(() => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.refreshes > 0, undefined, { timeout: 30_000 });
    assert.match(await page.locator('#images').innerText(), /busybox:latest/);
    await page.locator('#events-state', { hasText: 'live' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(consoleErrors, []);
  });

  test('an action without the page\'s header, or from another origin, is refused', async () => {
    const token = new URL(loginUrl).searchParams.get('token') ?? '';
    const auth = { Authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${url}/api/containers/x/stop`, { method: 'POST', headers: auth })).status, 403);
    assert.equal((await fetch(`${url}/api/containers/x/stop`, { method: 'POST', headers: { ...auth, 'X-Berth-Dashboard': '1', Origin: 'http://evil.example' } })).status, 403);
    assert.equal((await fetch(`${url}/api/containers/x/stop`, { headers: auth })).status, 405, 'actions are POSTs only');
    assert.equal((await fetch(`${url}/api/exec/x`, { headers: auth })).status, 404, 'routes off the allow-list do not exist');
  });

  test('a container started from the CLI appears within one refresh of the overview', async () => {
    await berthCli(['--host', host(), 'run', '-d', '--name', 'dash-web', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while :; do echo tick $((i=i+1)); sleep 0.2; done']);
    const seen = await refreshes();
    // The refresh running now may have started before the container existed; the one after it has not.
    await page.waitForFunction((n) => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.refreshes >= n + 2, seen, { timeout: 30_000 });
    const link = page.locator('a[data-container="dash-web"]');
    assert.equal(await link.count(), 1, 'the container is listed');
    assert.match(await page.locator('#summary').innerText(), /1\s+running/);
    await page.locator('#events li', { hasText: 'dash-web' }).first().waitFor({ timeout: 30_000 });
    await screenshot('overview');
    assert.deepEqual(consoleErrors, []);
  });

  test('the container page draws its charts, follows its logs and shows its inspect', async () => {
    await page.locator('a[data-container="dash-web"]').click();
    await page.waitForURL(/\/container\.html\?id=/);
    const points = (name: string): Promise<number> => page.evaluate((chart) => (globalThis as unknown as { berthDashboard: PageState }).berthDashboard.charts[chart]?.plot.data[0]?.length ?? 0, name);
    await eventually('the CPU chart to draw points', async () => await points('cpu') > 0, 30_000);
    assert.ok(await points('memory') > 0);
    await eventually('the network chart to have a rate', async () => await points('network') > 1, 30_000);
    await page.locator('#logs', { hasText: /tick \d+/ }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#inspect').innerText(), /"Running": true/);
    assert.equal(await page.locator('#name').innerText(), 'dash-web');
    if (SCREENSHOTS !== undefined) await eventually('a few minutes\' worth of chart to show', async () => await points('cpu') >= 10, 60_000);
    await screenshot('container');
    assert.deepEqual(consoleErrors, []);
  });

  test('the stop button, once confirmed, stops the container', async () => {
    assert.equal(await running('dash-web'), true);
    await page.locator('button[data-action="stop"]').click();
    await page.locator('#confirm-text', { hasText: 'Stop container dash-web?' }).waitFor({ timeout: 10_000 });
    await page.locator('#confirm button[value="cancel"]').click();
    assert.equal(await running('dash-web'), true, 'cancelling does nothing');
    await page.locator('button[data-action="stop"]').click();
    await page.locator('#confirm-ok').click();
    await eventually('berth inspect to show the container stopped', async () => !(await running('dash-web')), 60_000);
    await page.locator('#state', { hasText: 'exited' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(consoleErrors, []);
  });

  test('the image page shows its layers, scans it and shows its SBOM', async () => {
    const images = JSON.parse(await berthCli(['--host', host(), 'image', 'inspect', 'busybox'])) as { Id: string }[];
    await page.goto(`${url}/image.html?ref=${encodeURIComponent(images[0]?.Id ?? '')}`);
    await page.locator('#history tbody tr').first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#name').innerText(), 'busybox:latest');
    await page.locator('#scan p').waitFor({ timeout: 30_000 });
    await page.locator('#scan-now').click();
    await page.locator('#findings table, #findings p:not(:has-text("scanning"))').first().waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#scan').innerText(), /last scan/, 'a scan from the page is the last scan');
    await page.locator('#sbom-load').click();
    await page.locator('#sbom table, #sbom p').first().waitFor({ timeout: 60_000 });
    await screenshot('image');
    assert.deepEqual(consoleErrors, []);
  });
});
