// A berthd (serving --dashboard-addr on loopback, or not) and headless Debian chromium driven by
// playwright-core, both started for a test and stopped by the caller (t.after).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { TestProcess } from '../metrics/metrics-fixtures.js';
import { eventually } from '../runtime/runtime-fixtures.js';

export const CHROMIUM = '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));

/** Why the browser tests cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (scripts/install.sh --test installs Debian's chromium)`;
}

/** Runs the berth CLI of this build; resolves with its stdout, rejects with its stderr on a non-zero exit. */
export function berthCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'berth-entry.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`berth ${args.join(' ')} exited ${code ?? 'by a signal'}: ${err}`));
    });
  });
}

/** Starts berthd of this build with `args`; resolves with it once it serves its socket. */
export async function startBerthd(root: string, socket: string, args: readonly string[]): Promise<TestProcess> {
  const daemon = new TestProcess(spawn(process.execPath, [join(HERE, 'berthd-entry.js'), '--root', root, '--socket', socket, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await eventually('berthd to serve its socket', () => {
    if (!daemon.running) throw new Error(`berthd exited: ${daemon.output.join('')}`);
    return daemon.output.join('').includes('serving');
  }, 60_000);
  return daemon;
}

/** Starts berthd with `--dashboard-addr 127.0.0.1:0`; resolves with it and the dashboard's base URL it printed. */
export async function startBerthdWithDashboard(root: string, socket: string, args: readonly string[]): Promise<{ daemon: TestProcess; url: string }> {
  const daemon = await startBerthd(root, socket, ['--dashboard-addr', '127.0.0.1:0', ...args]);
  const url = /dashboard at (http:\/\/\S+?)\/ /.exec(daemon.output.join(''))?.[1];
  if (url === undefined) {
    await daemon.stop();
    throw new Error(`berthd printed no dashboard address: ${daemon.output.join('')}`);
  }
  return { daemon, url };
}

/** Headless chromium that reaches nothing but what the test serves (HOST-NOTES: no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
