// Runs the fuzz targets of fuzz/ (compiled to dist/fuzz by the build) with Jazzer.js.
//   node scripts/fuzz.mjs                         every target, 60 s each
//   node scripts/fuzz.mjs --time-box 180          every target, 180 s split by the targets' weights
//   node scripts/fuzz.mjs --seconds 600 layer-tar one target for 10 minutes
//   node scripts/fuzz.mjs --reproduce layer-tar FILE   one input, plainly, with its stack trace
// Anything after `--` goes to libFuzzer (e.g. -jobs=2, -dict=...). New inputs go to a scratch
// corpus; crashes, hangs and their logs to .fuzz-out/<target>/. Exits 1 when any target found one.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureFuzzerAddon } from './fuzz-addon.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'fuzz');
const cli = join(root, 'node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');
const MIN_SECONDS = 8;

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const options = { names: [], seconds: 60, timeBox: undefined, reproduce: undefined, engine: dash < 0 ? [] : argv.slice(dash + 1) };
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (arg === '--seconds') options.seconds = Number(own[++i]);
    else if (arg === '--time-box') options.timeBox = Number(own[++i]);
    else if (arg === '--reproduce') options.reproduce = own[++i];
    else if (arg.startsWith('-')) throw new Error(`fuzz: unknown option ${arg}`);
    else options.names.push(arg);
  }
  return options;
}

async function loadTargets() {
  const list = join(compiled, 'targets.js');
  if (!existsSync(list)) throw new Error('fuzz: dist/fuzz is missing; run npm run build first');
  const { FUZZ_TARGETS } = await import(pathToFileURL(list).href);
  return FUZZ_TARGETS;
}

/** Seconds per target: fixed, or the time box split by weight (start-up is paid from each share). */
function budget(targets, options) {
  if (options.timeBox === undefined) return new Map(targets.map((t) => [t.name, options.seconds]));
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  const startup = 3 * targets.length;
  const usable = Math.max(options.timeBox - startup, MIN_SECONDS * targets.length);
  return new Map(targets.map((t) => [t.name, Math.max(MIN_SECONDS, Math.floor((usable * t.weight) / weights))]));
}

/** Runs and executions per second: libFuzzer's final statistics, else its last status line. */
function stats(log) {
  const value = (key) => log.match(new RegExp(`stat::${key}:\\s+(\\d+)`))?.[1];
  const status = [...log.matchAll(/^#(\d+)\s.*exec\/s: (\d+)/gm)].at(-1);
  return { runs: value('number_of_executed_units') ?? status?.[1], perSecond: value('average_exec_per_sec') ?? status?.[2] };
}

function runTarget(target, seconds, engineArgs) {
  const out = join(root, '.fuzz-out', target.name);
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `berth-fuzz-corpus-${target.name}-`));
  const seeds = join(root, 'fuzz', 'corpus', target.name);
  const args = [
    cli, join(compiled, 'targets', `${target.name}.js`), work, ...(existsSync(seeds) ? [seeds] : []),
    ...(target.sync ? ['--sync'] : []), `--timeout=${target.timeoutMs}`,
    // Its check flags any path holding "../jaz_zer", fs access or not (patterns, names); the tar
    // targets check themselves that nothing is written outside their target directory.
    '--disable_bug_detectors=path-traversal',
    '--', `-max_total_time=${seconds}`, `-max_len=${target.maxLen}`, `-artifact_prefix=${out}/`, '-print_final_stats=1', ...engineArgs,
  ];
  const logPath = join(out, 'fuzz.log');
  const log = createWriteStream(logPath);
  let text = '';
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk) => {
      log.write(chunk);
      text = (text + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code, signal) => {
      log.end();
      rmSync(work, { recursive: true, force: true });
      done({ ok: code === 0, code: code ?? signal, text, logPath, ...stats(text) });
    });
  });
}

async function reproduce(name, file) {
  const module = await import(pathToFileURL(join(compiled, 'targets', `${name}.js`)).href);
  await module.fuzz(readFileSync(resolve(file)));
  console.log(`fuzz: ${name} accepted or refused ${file} without a finding`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.reproduce !== undefined) {
    await reproduce(options.reproduce, options.names[0] ?? '');
    return;
  }
  const all = await loadTargets();
  const unknown = options.names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length > 0) throw new Error(`fuzz: unknown target ${unknown.join(', ')} (have: ${all.map((t) => t.name).join(', ')})`);
  const targets = options.names.length === 0 ? all : all.filter((t) => options.names.includes(t.name));
  console.log(`fuzz: fuzzer addon ${ensureFuzzerAddon()}`);
  const seconds = budget(targets, options);
  let failed = 0;
  for (const target of targets) {
    const started = Date.now();
    const result = await runTarget(target, seconds.get(target.name), options.engine);
    const took = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`fuzz: ${target.name}: ${result.ok ? 'ok' : 'FINDING'} in ${took} s, ${result.runs ?? '?'} runs, ${result.perSecond ?? '?'} exec/s`);
    if (!result.ok) {
      failed++;
      console.log(result.text.split('\n').filter((line) => !/^(#\d+\s+(NEW|REDUCE|pulse)|INFO: Loaded)/.test(line)).slice(-60).join('\n'));
      console.log(`fuzz: full log ${result.logPath}; artifacts: ${readdirSync(dirname(result.logPath)).filter((f) => f !== 'fuzz.log').join(', ')}`);
    }
  }
  console.log(failed === 0 ? `fuzz: no finding in ${targets.length} targets` : `fuzz: findings in ${failed} of ${targets.length} targets`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
