// A berthd serving --metrics-addr and a real Prometheus scraping it, both started for a test on
// loopback, with their own state, and stopped (SIGTERM, then SIGKILL) by `stop`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../runtime/runtime-fixtures.js';

export const PROMETHEUS = '/usr/bin/prometheus';
const BERTHD_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'berthd-entry.js');

/** Why the Prometheus tests cannot run here, or undefined. */
export function prometheusMissing(): string | undefined {
  return existsSync(PROMETHEUS) ? undefined : `${PROMETHEUS} is not installed (scripts/install.sh --test installs Debian's prometheus)`;
}

/** A child process with its output kept, stopped by SIGTERM then SIGKILL after `graceMs`. */
export class TestProcess {
  readonly output: string[] = [];
  readonly #exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (c: Buffer) => this.output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => this.output.push(c.toString()));
    this.#exited = new Promise((resolve) => { child.once('exit', () => { resolve(); }); });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** A free TCP port on 127.0.0.1 (free when asked: the caller binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

/** Starts berthd with `--metrics-addr 127.0.0.1:0`; resolves with it and the metrics URL it printed. */
export async function startBerthdWithMetrics(root: string, socket: string, args: readonly string[]): Promise<{ daemon: TestProcess; metricsUrl: string }> {
  const daemon = new TestProcess(spawn(process.execPath, [BERTHD_ENTRY, '--root', root, '--socket', socket, '--metrics-addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let metricsUrl: string | undefined;
  await eventually('berthd to print its metrics address', () => {
    if (!daemon.running) throw new Error(`berthd exited: ${daemon.output.join('')}`);
    metricsUrl = /metrics at (http:\/\/\S+\/metrics)/.exec(daemon.output.join(''))?.[1];
    return metricsUrl !== undefined && daemon.output.join('').includes('serving');
  }, 60_000);
  return { daemon, metricsUrl: metricsUrl ?? '' };
}

/** Starts Prometheus on 127.0.0.1:`port`, scraping `target` (host:port, path /metrics) every second. */
export async function startPrometheus(dir: string, port: number, target: string): Promise<TestProcess> {
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, [
    'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1s',
    'scrape_configs:', '  - job_name: berth', '    static_configs:', `      - targets: ['${target}']`, '',
  ].join('\n'));
  return new TestProcess(spawn(PROMETHEUS, [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query against Prometheus's HTTP API; [] while it is not up yet. */
export function promQuery(port: number, query: string): Promise<PromSeries[]> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: `/api/v1/query?query=${encodeURIComponent(query)}` }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        try {
          const body = JSON.parse(text) as { status: string; data?: { result?: PromSeries[] } };
          resolve(body.status === 'success' ? body.data?.result ?? [] : []);
        } catch {
          resolve([]);
        }
      });
    });
    req.on('error', () => { resolve([]); });
    req.end();
  });
}

/** Polls `query` until it returns series for which `accept` holds (default: any); returns them. */
export async function promEventually(port: number, query: string, accept: (series: PromSeries[]) => boolean = (s) => s.length > 0, boundMs = 60_000): Promise<PromSeries[]> {
  let last: PromSeries[] = [];
  try {
    await eventually(`Prometheus to answer ${query}`, async () => {
      last = await promQuery(port, query);
      const ok = accept(last);
      if (!ok) await new Promise((r) => setTimeout(r, 200));
      return ok;
    }, boundMs);
  } catch (err) {
    throw new Error(`${String(err)}; last answer: ${JSON.stringify(last)}`);
  }
  return last;
}
