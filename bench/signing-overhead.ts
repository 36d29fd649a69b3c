// Benchmark: what signature verification and an admission policy add to `run --rm` and to a pull,
// with the policy off and on in one run on one machine. Needs root (runc, cgroups, mounts).
//
// A berth registry on 127.0.0.1 (in this process) holds busybox as REG/bench/app:1, signed with a
// key made by `berth sign generate-key-pair` (a Sigstore bundle, cosign 3's default, and a classic
// signature). Two berthds, each on a state root of its own with busybox bootstrapped:
//   off   no policy;
//   on    `--policy`: `signed` (enforce, the key, matching REG/**), `no-privileged`,
//         `no-bind-mounts` (/etc) and `capabilities` (nothing added) — a realistic small policy.
// Both pull REG/bench/app:1 first, so their images carry the registry digest.
// Each round, for each daemon in turn (which goes first alternates), over raw HTTP on its socket
// (no CLI start-up in the figures):
//   run   `run --rm REG/bench/app:1 true` as the docker CLI drives it: create, wait (answered once
//         registered), start, the wait's exit status, DELETE. On `on`, the create's signature
//         check is the remembered verification of that digest (the goal: at most 10 ms added);
//   pull  `DELETE /images/REG/bench/app:1` then `POST /images/create` of it: a whole pull. On
//         `on`, the reference is verified at the registry before anything is fetched (a fresh
//         verification: a tag is never answered from memory), then the stored digest (remembered).
// Whole requests carry the engine's noise (tens of ms), so the gate's own cost is also timed in
// this process, on the same policy file and registry: the admission of a create whose digest's
// verification is remembered (`--evaluations` times), and a fresh verification of the tag at the
// registry, what a pull adds (`--checks` times, a new checker each: nothing remembered).
// Also reported: `berth verify --key` as a user runs it (a new process each time, both formats).
// Everything made is removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/signing-overhead.js [--rounds 30] [--warmups 3] [--pulls 12] [--verifies 7] [--evaluations 2000] [--checks 30]
import { mkdir, writeFile } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { startRegistryServer } from '../src/registry/registry-server.js';
import { AdmissionGate, imageFacts, loadPolicyFile, type AdmissionRequest } from '../src/security/admission/index.js';
import { SignatureChecker } from '../src/security/signing/signature-checker.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import { sweepBenchBase } from './bench-sweep.js';
import { CleanupStack } from './cleanup-stack.js';
import { REPO } from './container-clients.js';
import { parseIntegerOptions } from './integer-options.js';
import { publishReport } from './report-file.js';
import { median, percentile } from './stats.js';

const log = (line: string): void => { process.stderr.write(`signing-overhead: ${line}\n`); };
const cleanups = new CleanupStack(log);
const BASE = '/var/tmp/berth-bench/signing-overhead';
const CGROUP_PARENT = 'berth-bench-signing';
const runner = new ChildProcessRunner();
const BERTH = join(REPO, 'bin', 'berth.js');
const PASSWORD = { COSIGN_PASSWORD: 'bench' };

type Mode = 'off' | 'on';
interface Daemon { mode: Mode; socket: string; process: BerthdProcess }
interface Samples { run: number[]; pull: number[] }

function send(socketPath: string, method: string, path: string, body?: unknown): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: `/v1.43${path}`, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, timeout: 120_000 }, resolve);
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

async function call(socketPath: string, method: string, path: string, body?: unknown): Promise<string> {
  const response = await send(socketPath, method, path, body);
  const answer = await text(response);
  if ((response.statusCode ?? 0) >= 300) throw new Error(`${method} ${path}: ${response.statusCode ?? 0} ${answer}`);
  if (/"error(Detail)?"/.test(answer)) throw new Error(`${method} ${path}: ${answer.slice(-300)}`);
  return answer;
}

async function berth(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await runner.run(process.execPath, [BERTH, ...args], { env: { ...process.env, ...env }, cwd: BASE });
  return stdout;
}

/** `run --rm IMAGE true` as the docker CLI drives it; milliseconds. */
async function runRm(daemon: Daemon, image: string): Promise<number> {
  const start = performance.now();
  const created = JSON.parse(await call(daemon.socket, 'POST', '/containers/create', { Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } })) as { Id: string };
  const wait = send(daemon.socket, 'POST', `/containers/${created.Id}/wait?condition=next-exit`);
  const waiting = await wait;
  await call(daemon.socket, 'POST', `/containers/${created.Id}/start`);
  const status = JSON.parse(await text(waiting)) as { StatusCode: number };
  if (status.StatusCode !== 0) throw new Error(`true exited ${status.StatusCode}`);
  await call(daemon.socket, 'DELETE', `/containers/${created.Id}`);
  return performance.now() - start;
}

/** Removes the image, then pulls it again; milliseconds of the pull. */
async function pull(daemon: Daemon, image: string): Promise<number> {
  await call(daemon.socket, 'DELETE', `/images/${encodeURIComponent(image)}`);
  const start = performance.now();
  await call(daemon.socket, 'POST', `/images/create?fromImage=${encodeURIComponent(image)}`);
  return performance.now() - start;
}

/** The gate's own costs: a create admitted with the verification remembered (µs a call), fresh verifications of the tag (ms each). */
async function gateCosts(policyFile: string, image: string, evaluations: number, checks: number): Promise<{ evaluation: number; checks: number[] }> {
  const policy = await loadPolicyFile(policyFile);
  const gate = new AdmissionGate({ policy, signatures: new SignatureChecker() });
  const digest = (await new SignatureChecker().check(targetOf(image), policy.rules[0]?.trustedKeys ?? [])).digest;
  if (digest === undefined) throw new Error(`${image} did not verify`);
  const repository = image.slice(0, image.lastIndexOf(':'));
  const request: AdmissionRequest = {
    operation: 'create', image: { ...imageFacts('Image', image), names: [image, `${repository}@${digest}`] },
    container: { privileged: false, hostNamespaces: [], binds: [], capAdd: [], user: '', labels: {} },
  };
  if ((await gate.evaluate(request)).length > 0) throw new Error('the create was refused');
  const start = performance.now();
  for (let i = 0; i < evaluations; i++) await gate.evaluate(request);
  const evaluation = ((performance.now() - start) / evaluations) * 1000;
  const times: number[] = [];
  for (let i = 0; i < checks; i++) {
    const began = performance.now();
    const fact = await new SignatureChecker().check(targetOf(image), policy.rules[0]?.trustedKeys ?? []);
    times.push(performance.now() - began);
    if (!fact.verified) throw new Error(`${image}: ${fact.why}`);
  }
  return { evaluation, checks: times };
}

function targetOf(image: string): { domain: string; path: string; reference: string } {
  const slash = image.indexOf('/');
  const colon = image.lastIndexOf(':');
  return { domain: image.slice(0, slash), path: image.slice(slash + 1, colon), reference: image.slice(colon + 1) };
}

function row(label: string, off: number[], on: number[]): string {
  const m = (values: number[]): string => median(values).toFixed(2);
  const p = (values: number[]): string => percentile(values, 90).toFixed(2);
  return `| ${label} | ${m(off)} (${p(off)}) | ${m(on)} (${p(on)}) | ${(median(on) - median(off)).toFixed(2)} | ${(median(on) / median(off)).toFixed(3)} |`;
}

async function main(): Promise<void> {
  const options = parseIntegerOptions(process.argv.slice(2), { rounds: 30, warmups: 3, pulls: 12, verifies: 7, evaluations: 2000, checks: 30 }, { warmups: 0 });
  if (process.getuid?.() !== 0) throw new Error('needs root (runc, cgroups, mounts)');
  const sweep = (): Promise<void> => sweepBenchBase(BASE, CGROUP_PARENT, log);
  await sweep();
  cleanups.push(sweep);
  await mkdir(BASE, { recursive: true });
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');

  const registry = await startRegistryServer({ root: join(BASE, 'registry'), addr: '127.0.0.1:0', gcIntervalMs: 0 });
  cleanups.push(() => registry.close());
  const host = new URL(registry.url).host;
  const image = `${host}/bench/app:1`;
  log(`registry at ${host}; bootstrapping busybox, pushing and signing ${image}`);
  await berth(['--root', join(BASE, 'seed'), 'image', 'bootstrap', 'busybox', '--tag', image]);
  await berth(['--root', join(BASE, 'seed'), 'push', image]);
  await berth(['sign', 'generate-key-pair'], PASSWORD);
  await berth(['sign', '--key', 'cosign.key', image], PASSWORD);
  await berth(['sign', '--key', 'cosign.key', '--signature-format', 'classic', image], PASSWORD);
  await writeFile(join(BASE, 'policy.yaml'), `rules:
  - { name: signed, kind: signed, mode: enforce, keys: [cosign.pub], match: "${host}/**" }
  - { kind: no-privileged, mode: enforce }
  - { kind: no-bind-mounts, mode: enforce, paths: [/etc] }
  - { kind: capabilities, mode: enforce, allow: [] }
`);

  const daemons: Daemon[] = [];
  cleanups.push(async () => { for (const d of daemons) await d.process.stop(); });
  for (const mode of ['off', 'on'] as const) {
    const root = join(BASE, mode);
    const socket = join(BASE, `${mode}.sock`);
    await berth(['--root', root, 'image', 'bootstrap', 'busybox']);
    const started = await BerthdProcess.start(root, socket, ['--cgroup-parent', `/${CGROUP_PARENT}/${mode}`, ...(mode === 'on' ? ['--policy', join(BASE, 'policy.yaml')] : [])]);
    daemons.push({ mode, socket, process: started });
    await call(socket, 'POST', `/images/create?fromImage=${encodeURIComponent(image)}`);
  }

  const samples: Record<Mode, Samples> = { off: { run: [], pull: [] }, on: { run: [], pull: [] } };
  for (let round = 0; round < options.warmups + options.rounds && !cleanups.stopping.signal.aborted; round++) {
    const order = round % 2 === 0 ? daemons : [...daemons].reverse();
    for (const daemon of order) {
      const ms = await runRm(daemon, image);
      if (round >= options.warmups) samples[daemon.mode].run.push(ms);
    }
  }
  for (let round = 0; round < 1 + options.pulls && !cleanups.stopping.signal.aborted; round++) {
    const order = round % 2 === 0 ? daemons : [...daemons].reverse();
    for (const daemon of order) {
      const ms = await pull(daemon, image);
      if (round >= 1) samples[daemon.mode].pull.push(ms);
    }
  }
  const verifies: number[] = [];
  for (let i = 0; i < options.verifies && !cleanups.stopping.signal.aborted; i++) {
    const start = performance.now();
    await berth(['verify', '--key', 'cosign.pub', image]);
    verifies.push(performance.now() - start);
  }
  const inProcess = await gateCosts(join(BASE, 'policy.yaml'), image, options.evaluations, options.checks);
  if (cleanups.stopping.signal.aborted) return;

  const report = [
    `# signing-overhead (${new Date().toISOString()})`,
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, load before ${loadBefore}, after ${loadavg().map((n) => n.toFixed(2)).join(' ')}.`,
    `Policy on: signed (the image's key) + no-privileged + no-bind-mounts + capabilities. ${options.rounds} rounds of run --rm (${options.warmups} warm-up), ${options.pulls} pulls each (1 warm-up).`,
    '',
    '| ms, median (p90) | off | on | on − off | on / off |',
    '| --- | --- | --- | --- | --- |',
    row('run --rm (create … delete)', samples.off.run, samples.on.run),
    row('pull (whole, after rmi)', samples.off.pull, samples.on.pull),
    '',
    `In this process: the admission of a create, its digest's verification remembered: ${inProcess.evaluation.toFixed(1)} µs a call (${options.evaluations} calls). ` +
      `A fresh verification of the tag at the registry (what a pull adds): median ${median(inProcess.checks).toFixed(2)} ms (p90 ${percentile(inProcess.checks, 90).toFixed(2)}) over ${inProcess.checks.length}.`,
    '',
    `berth verify --key (a new process, both formats found and checked): median ${median(verifies).toFixed(0)} ms (p90 ${percentile(verifies, 90).toFixed(0)}) over ${verifies.length}.`,
    '',
  ].join('\n');
  await publishReport('signing-overhead', report);
}

main().then(() => cleanups.run(), async (err: unknown) => {
  log(`failed: ${messageOf(err)}`);
  await cleanups.run();
  process.exitCode = 1;
});
