// Benchmark: scheduler throughput with simulated nodes in one process (no daemon, no root).
//
// N nodes (4 CPUs, 8 GiB; labels zone z0…z4, rack r0…r49, and every tenth node tier=db) and T
// pending tasks in S services (T/S replicas each; every task reserves 0.05 CPU and 64 MiB), placed
// by one call of the pure scheduler (src/cluster/scheduler) per timed run, from an empty cluster:
// - basic: no constraints, no preferences (anti-affinity, resources and load rank the nodes);
// - constraints + spread: `node.labels.tier!=db` and `node.platform.os==linux`, and a spread
//   preference over node.labels.zone.
// Each scenario: one warm-up run, then --runs timed runs (new seed each); placements per second
// = T / wall time of the call. Prints a markdown table and writes bench/results/scheduler.md.
// Run: npm run build && node dist/bench/scheduler.js [--nodes 5000] [--tasks 50000] [--services 50] [--runs 5]
import { cpus, loadavg, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CPU, makeNode, makeService, makeTask, MiB } from '../test/support/cluster-fixtures.js';
import type { Node } from '../src/cluster/objects/node.js';
import type { Task } from '../src/cluster/objects/task.js';
import { DEFAULT_SCORE_LIMIT, schedule, seededRandom } from '../src/cluster/scheduler/index.js';
import { median } from './stats.js';
import { publishReport } from './report-file.js';


interface Options { nodes: number; tasks: number; services: number; runs: number }

function parseOptions(args: readonly string[]): Options {
  const options: Options = { nodes: 5000, tasks: 50_000, services: 50, runs: 5 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) throw new Error(`bad argument ${args[i] ?? ''} (usage: [--nodes N] [--tasks N] [--services N] [--runs N])`);
    options[key as keyof Options] = value;
  }
  return options;
}

function makeNodes(count: number): Node[] {
  return Array.from({ length: count }, (_, i) => makeNode(`n${i}`, {
    labels: { zone: `z${i % 5}`, rack: `r${i % 50}`, ...(i % 10 === 0 ? { tier: 'db' } : {}) },
    nanoCpus: 4 * CPU,
    memoryBytes: 8 * 1024 * MiB,
  }));
}

function makePending(options: Options, withPlacement: boolean): Task[] {
  const perService = Math.ceil(options.tasks / options.services);
  const tasks: Task[] = [];
  for (let s = 0; s < options.services && tasks.length < options.tasks; s++) {
    const service = makeService(`svc${s}`, {
      taskTemplate: {
        containerSpec: { image: 'busybox' },
        resources: { reservations: { nanoCpus: CPU / 20, memoryBytes: 64 * MiB } },
        placement: withPlacement
          ? { constraints: ['node.labels.tier!=db', 'node.platform.os==linux'], preferences: [{ spread: 'node.labels.zone' }] }
          : {},
      },
    });
    for (let slot = 1; slot <= perService && tasks.length < options.tasks; slot++) tasks.push(makeTask(`s${s}t${slot}`, service, { slot }));
  }
  return tasks;
}

interface Result { label: string; rates: number[]; ms: number[]; unplaced: number }

function run(label: string, nodes: Node[], pending: Task[], runs: number): Result {
  const result: Result = { label, rates: [], ms: [], unplaced: 0 };
  for (let r = 0; r <= runs; r++) {
    const started = performance.now();
    const plan = schedule({ nodes, tasks: [] }, pending, { random: seededRandom(r + 1) });
    const ms = performance.now() - started;
    if (plan.assignments.length + plan.unplaced.length !== pending.length) throw new Error(`${label}: the plan lost tasks`);
    process.stderr.write(`scheduler: ${label} run ${r === 0 ? 'warm-up' : r}: ${ms.toFixed(0)} ms, ${plan.unplaced.length} unplaced\n`);
    if (r === 0) continue;
    result.ms.push(ms);
    result.rates.push(pending.length / (ms / 1000));
    result.unplaced = plan.unplaced.length;
  }
  return result;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const nodes = makeNodes(options.nodes);
  const results = [
    run('basic', nodes, makePending(options, false), options.runs),
    run('constraints + spread', nodes, makePending(options, true), options.runs),
  ];
  const goals: Record<string, number> = { basic: 2000, 'constraints + spread': 1000 };
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const rows = results.map((r) => {
    const goal = goals[r.label] ?? 0;
    const med = median(r.rates);
    return `| ${r.label} | ${fmt(med)} | ${fmt(Math.min(...r.rates))} – ${fmt(Math.max(...r.rates))} | ${fmt(median(r.ms))} | ${r.unplaced} | ≥ ${fmt(goal)}/s | ${med >= goal ? 'yes' : 'no'} |`;
  });
  const report = [
    `# scheduler: placements per second, ${fmt(options.nodes)} simulated nodes, ${fmt(options.tasks)} tasks`,
    '',
    `Date: ${new Date().toISOString()}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, kernel ${release()}, Node ${process.version}; load average before: ${loadBefore}, after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    `${options.services} services, one schedule call per run from an empty cluster, score limit ${DEFAULT_SCORE_LIMIT}; medians of ${options.runs} runs after one warm-up.`,
    `Command: \`npm run build && node dist/bench/scheduler.js --nodes ${options.nodes} --tasks ${options.tasks} --services ${options.services} --runs ${options.runs}\``,
    '',
    '| scenario | placements/s (median) | min – max | ms per call (median) | unplaced | goal | met? |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await publishReport('scheduler', report);
}

await main();
