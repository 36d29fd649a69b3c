// Benchmark: what access control and the audit trail add to a request of berthd's API, on `ps`
// and on `run --rm`, with and without them in one run on one node. Needs root (runc, cgroups, mounts).
//
// berthd always serves with both, so the comparison runs on a node of its own
// (access-overhead-node.ts: berthd's composition, busybox bootstrapped) that serves one engine
// on two sockets: `off` without access control, `on` as berthd serves it. Three clients, raw HTTP
// over the unix socket (no CLI start-up in the figures), interleaved, rotating which goes first:
//   off          the socket without access control;
//   on, root     the socket peer's uid read through berth-peercred (uid 0: admin), audited;
//   on, token    an operator bearer token (`Authorization: Bearer`), audited.
// `--containers` (default 20) created containers make the listing non-trivial. Each round, for
// each client: `GET /containers/json?all=1` five times (ps), then `run --rm busybox true` as the
// docker CLI drives it: create, wait (answered once registered), start, the wait's exit status,
// DELETE. The audit trail records create, start and delete (request + outcome each); ps and wait
// are reads, identified and authorized but not recorded. After the rounds the trail is verified.
// Everything made is removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/access-overhead.js [--rounds 40] [--warmups 3] [--containers 20]
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { verifyAuditTrail } from '../src/security/audit/index.js';
import { sweepBenchBase } from './bench-sweep.js';
import { CleanupStack } from './cleanup-stack.js';
import { REPO } from './container-clients.js';
import type { AccessNodeReady } from './access-overhead-node.js';
import { parseIntegerOptions } from './integer-options.js';
import { publishReport } from './report-file.js';
import { median, percentile } from './stats.js';

const log = (line: string): void => { process.stderr.write(`access-overhead: ${line}\n`); };
const cleanups = new CleanupStack(log);
const HERE = dirname(fileURLToPath(import.meta.url));
const BASE = '/var/tmp/berth-bench/access-overhead';
const CGROUP_PARENT = 'berth-bench-access';
const runner = new ChildProcessRunner();

interface Client { readonly key: 'off' | 'root' | 'token'; readonly label: string; readonly socketPath: string; readonly token?: string }

const STEPS = ['create', 'wait registered', 'start', 'delete'] as const;
type Step = typeof STEPS[number];

interface Samples { ps: number[]; run: number[]; steps: Record<Step, number[]> }

/** Sends one request; resolves at the answer's headers (the body still to read). Bounded at 60 s. */
function send(client: Client, method: string, path: string, body?: unknown): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (client.token !== undefined) headers.Authorization = `Bearer ${client.token}`;
    const req = request({ socketPath: client.socketPath, method, path: `/v1.43${path}`, headers, timeout: 60_000 }, resolve);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function text(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One whole request; throws unless the status is `expected`. */
async function call(client: Client, method: string, path: string, expected: number, body?: unknown): Promise<string> {
  const response = await send(client, method, path, body);
  const answer = await text(response);
  if (response.statusCode !== expected) throw new Error(`${client.label}: ${method} ${path} answered ${response.statusCode ?? '?'}: ${answer}`);
  return answer;
}

const CREATE_BODY = { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } };

/** `run --rm busybox true` as requests; the wall time of each step and of the whole, in ms. */
async function runRemoved(client: Client): Promise<{ whole: number; steps: Record<Step, number> }> {
  const t0 = performance.now();
  const id = (JSON.parse(await call(client, 'POST', '/containers/create', 201, CREATE_BODY)) as { Id: string }).Id;
  const t1 = performance.now();
  const wait = await send(client, 'POST', `/containers/${id}/wait?condition=next-exit`);
  if (wait.statusCode !== 200) throw new Error(`${client.label}: wait answered ${wait.statusCode ?? '?'}: ${await text(wait)}`);
  const t2 = performance.now();
  await call(client, 'POST', `/containers/${id}/start`, 204);
  const t3 = performance.now();
  const status = JSON.parse(await text(wait)) as { StatusCode: number };
  if (status.StatusCode !== 0) throw new Error(`${client.label}: the container exited ${status.StatusCode}`);
  const t4 = performance.now();
  await call(client, 'DELETE', `/containers/${id}`, 204);
  const t5 = performance.now();
  return { whole: t5 - t0, steps: { create: t1 - t0, 'wait registered': t2 - t1, start: t3 - t2, delete: t5 - t4 } };
}

/** Starts the node; resolves with its sockets and token once it serves (bootstrapping busybox takes a few seconds). */
async function startNode(): Promise<{ child: ChildProcess; ready: AccessNodeReady }> {
  const child = spawn(process.execPath, ['--max-semi-space-size=1', join(HERE, 'access-overhead-node.js'), BASE, `/${CGROUP_PARENT}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (c: Buffer) => { stderr.push(c.toString()); });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<never>((_resolve, reject) => { child.once('exit', (code) => { reject(new Error(`the node exited ${code ?? '?'}: ${stderr.join('')}`)); }); });
  const first = new Promise<string>((resolve) => { lines.once('line', resolve); });
  const line = await Promise.race([first, exited, delay(180_000, undefined, { ref: false }).then(() => { throw new Error(`the node did not serve within 180 s: ${stderr.join('')}`); })]);
  lines.close();
  return { child, ready: JSON.parse(line) as AccessNodeReady };
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => { child.once('exit', resolve); });
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), delay(20_000, false, { ref: false })])) return;
  child.kill('SIGKILL');
  await exited;
}

/** Removes what a run (or a killed one) left: processes naming BASE, mounts below it, the containers' cgroups, the files. */
const sweep = (): Promise<void> => sweepBenchBase(BASE, CGROUP_PARENT, log);

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const cell = (values: readonly number[]): string => `${ms(median(values))} (${ms(percentile(values, 90))})`;
const delta = (on: readonly number[], off: readonly number[]): string => {
  const d = median(on) - median(off);
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)} ms`;
};

async function main(): Promise<void> {
  const options = parseIntegerOptions(process.argv.slice(2), { rounds: 40, warmups: 3, containers: 20 }, { warmups: 0 });
  if (process.getuid?.() !== 0) throw new Error('needs root (runc, cgroups, mounts)');
  await sweep();
  cleanups.push(sweep);
  await mkdir(BASE, { recursive: true });
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  log('starting the node (busybox bootstrapped on its state root)');
  const { child, ready } = await startNode();
  cleanups.push(() => stopNode(child));
  const clients: Client[] = [
    { key: 'off', label: 'off', socketPath: ready.off },
    { key: 'root', label: 'on, root (peer uid)', socketPath: ready.on },
    { key: 'token', label: 'on, operator token', socketPath: ready.on, token: ready.token },
  ];
  const empty = (): Samples => ({ ps: [], run: [], steps: { create: [], 'wait registered': [], start: [], delete: [] } });
  const samples: Record<Client['key'], Samples> = { off: empty(), root: empty(), token: empty() };
  const [off] = clients;
  if (off === undefined) throw new Error('no clients');
  log(`creating ${options.containers} containers`);
  for (let i = 0; i < options.containers; i++) await call(off, 'POST', '/containers/create', 201, CREATE_BODY);
  log(`${options.warmups} warm-up and ${options.rounds} measured rounds`);
  for (let round = 0; round < options.warmups + options.rounds && !cleanups.stopping.signal.aborted; round++) {
    const measured = round >= options.warmups;
    const order = clients.map((_c, i) => clients[(i + round) % clients.length]!);
    for (const client of order) {
      const mine = samples[client.key];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        const listed = JSON.parse(await call(client, 'GET', '/containers/json?all=1', 200)) as unknown[];
        const elapsed = performance.now() - start;
        if (listed.length !== options.containers) throw new Error(`${client.label}: listed ${listed.length} containers, want ${options.containers}`);
        if (measured) mine.ps.push(elapsed);
      }
      const run = await runRemoved(client);
      if (measured) {
        mine.run.push(run.whole);
        for (const step of STEPS) mine.steps[step].push(run.steps[step]);
      }
    }
  }
  const auditDir = join(BASE, 'root', 'audit');
  const verified = await verifyAuditTrail(auditDir);
  const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
  const commit = await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).then((r) => r.stdout.trim(), () => 'unknown');
  await cleanups.run();

  const o = samples.off;
  const r = samples.root;
  const t = samples.token;
  const row = (what: string, pick: (s: Samples) => number[]): string =>
    `| ${what} | ${cell(pick(o))} | ${cell(pick(r))} | ${cell(pick(t))} | ${delta(pick(r), pick(o))} | ${delta(pick(t), pick(o))} |`;
  const perRequest = (on: Samples): string => `${((median(on.run) - median(o.run)) / 4).toFixed(2)} ms`;
  const report = [
    `# access-overhead — access control and the audit trail, on and off, ${options.rounds} rounds`,
    '',
    `Date: ${new Date().toISOString()}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, kernel ${release()}, Node ${process.version}; berth commit ${commit}; load before: ${loadBefore}, after: ${loadAfter}`,
    '',
    '| request, median (p90) | off | on, root (peer uid) | on, operator token | Δ root | Δ token |',
    '|---|---:|---:|---:|---:|---:|',
    row(`\`ps\`: GET /containers/json?all=1, ${options.containers} containers`, (s) => s.ps),
    ...STEPS.map((step) => row(`\`run --rm\`: ${step}${step === 'wait registered' ? '' : ' (audited)'}`, (s) => s.steps[step])),
    row('`run --rm`: the whole (create … delete)', (s) => s.run),
    `| \`run --rm\`: Δ of the whole per request (4) | | | | ${perRequest(r)} | ${perRequest(t)} |`,
    '',
    `ps: ${options.rounds * 5} requests per client; run --rm: ${options.rounds} per client, after ${options.warmups} warm-up rounds. ` +
      `Audit trail after the run: ${verified.ok ? `whole, ${verified.records} records` : `BROKEN: ${verified.problem?.message ?? '?'}`}.`,
    '',
  ].join('\n');
  await publishReport('access-overhead', report);
}

try {
  await main();
} catch (err) {
  log(messageOf(err));
  await cleanups.run();
  process.exitCode = 1;
}
