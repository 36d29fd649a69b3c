// Benchmark: a compose application brought up until it is whole and taken down again, berth vs
// docker-compose on a private dockerd, side by side in one run. Needs root and docker-compose.
//
// The application is the compose tests' shop (test/integration/compose/compose-app.ts): web,
// api, a healthchecked db on a named volume, a one-shot migration job, a secret, two networks
// (one internal). "Up" ends when the client returns: `berth compose up -d --wait` waits for every
// service to run or be healthy and the job to complete; docker-compose 1.29 (which has no --wait)
// returns once web started, and web starts only after db is healthy and migrate completed. Then a
// GET through web's published port must answer (not timed). "Down" is `down -v` (containers,
// networks, the volume). Three clients, in rotating order each round: berth compose → berthd,
// docker-compose → berthd, docker-compose → dockerd. Everything made is removed at the end, on
// failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/compose-up-down.js [--rounds 5]
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { httpGet, shopFile, writeShop } from '../test/integration/compose/compose-app.js';
import { freePort } from '../test/integration/metrics/metrics-fixtures.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { CleanupStack } from './cleanup-stack.js';
import { BASE, startBerthd, stopBerthd, PATHS } from './container-engines.js';
import { invoke, REPO } from './container-clients.js';
import { startDaemonsSideBySide } from './daemons-side-by-side.js';
import { parseIntegerOptions } from './integer-options.js';
import { publishReport } from './report-file.js';

const log = (line: string): void => { process.stderr.write(`compose-up-down: ${line}\n`); };
const cleanups = new CleanupStack(log);
const runner = new ChildProcessRunner();
const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const STEP_TIMEOUT_MS = 180_000;

type Options = { rounds: number };

/** One way to run the application: a compose client against a daemon. */
interface Composer {
  label: string;
  up(dir: string): Promise<void>;
  down(dir: string): Promise<void>;
}

function berthComposer(socket: string): Composer {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS; // as the other benches: a CA bundle parse the CLI never needs
  delete env.BERTH_ROOT;
  const run = async (dir: string, args: string[]): Promise<void> => {
    await runner.run(process.execPath, [join(REPO, 'bin', 'berth.js'), '--host', `unix://${socket}`, 'compose', ...args], { cwd: dir, env, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  };
  return { label: 'berth compose → berthd', up: (dir) => run(dir, ['up', '-d', '--wait']), down: (dir) => run(dir, ['down', '-v']) };
}

function dockerComposeComposer(label: string, socket: string): Composer {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: PATHS.cli };
  delete env.DOCKER_CONTEXT;
  const run = async (dir: string, args: string[]): Promise<void> => {
    await runner.run(DOCKER_COMPOSE, args, { cwd: dir, env, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  };
  return { label, up: (dir) => run(dir, ['up', '-d']), down: (dir) => run(dir, ['down', '-v']) };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** One up and down of the application in a fresh project directory; the two times in ms. */
async function round(composer: Composer, index: number): Promise<{ up: number; down: number }> {
  const dir = await mkdtemp(join(BASE, `shop-${index}-`));
  const port = await freePort();
  await writeShop(dir, port);
  // docker-compose 1.29 refuses the top-level `name`; every client names the project after the directory.
  await writeFile(join(dir, 'compose.yaml'), shopFile().replace('name: shop\n', ''));
  let up = false;
  try {
    const t0 = performance.now();
    await composer.up(dir);
    const upMs = performance.now() - t0;
    up = true;
    const body = await httpGet(port, '/');
    if (body.trim() !== 'web') throw new Error(`${composer.label}: GET / through the published port answered ${JSON.stringify(body.slice(0, 80))}`);
    const t1 = performance.now();
    await composer.down(dir);
    up = false;
    return { up: upMs, down: performance.now() - t1 };
  } finally {
    if (up) await composer.down(dir).catch((err: unknown) => { log(`${composer.label}: down after a failure: ${String(err)}`); });
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseIntegerOptions<Options>(process.argv.slice(2), { rounds: 5 }, { rounds: 1 });
  if (!existsSync(DOCKER_COMPOSE)) throw new Error(`${DOCKER_COMPOSE} not found (apt-get install docker-compose)`);
  const { dockerd, docker, berth, archive, loadBefore } = await startDaemonsSideBySide(cleanups, log);
  const times = new Map<string, { up: number[]; down: number[] }>();
  let composers: Composer[] = [];
  try {
    const berthd = await startBerthd();
    cleanups.push(async () => { await stopBerthd(berthd); });
    for (const client of [docker, berth]) await invoke(client, ['load', '-i', archive]);
    composers = [berthComposer(PATHS.berthSocket), dockerComposeComposer('docker-compose → berthd', PATHS.berthSocket), dockerComposeComposer('docker-compose → dockerd', dockerd.socketPath)];
    for (const composer of composers) times.set(composer.label, { up: [], down: [] });
    // One unmeasured round each: images cached, first-use costs paid.
    for (const [i, composer] of composers.entries()) await round(composer, i);
    for (let r = 0; r < options.rounds; r++) {
      for (let k = 0; k < composers.length; k++) {
        const composer = composers[(r + k) % composers.length] as Composer;
        const result = await round(composer, r * composers.length + k);
        times.get(composer.label)?.up.push(result.up);
        times.get(composer.label)?.down.push(result.down);
        log(`round ${r + 1}: ${composer.label}: up ${result.up.toFixed(0)} ms, down ${result.down.toFixed(0)} ms`);
      }
    }
  } finally {
    await cleanups.run();
  }
  const reference = times.get('docker-compose → dockerd');
  const ratio = (mine: readonly number[], theirs: readonly number[] | undefined): string => (theirs === undefined ? '-' : `${(median(mine) / median(theirs)).toFixed(2)}×`);
  const rows = composers.map((composer) => {
    const t = times.get(composer.label) ?? { up: [], down: [] };
    return `| ${composer.label} | ${median(t.up).toFixed(0)} ms | ${ratio(t.up, reference?.up)} | ${median(t.down).toFixed(0)} ms | ${ratio(t.down, reference?.down)} |`;
  });
  const report = [
    '# compose-up-down: the shop application up until whole, and down -v',
    '',
    `Date: ${new Date().toISOString()}; ${cpus().length} cores, kernel ${release()}; ${options.rounds} rounds (after one unmeasured); load average before: ${loadBefore}, after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    '',
    '| client → daemon | up (median) | vs docker-compose → dockerd | down -v (median) | vs docker-compose → dockerd |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await publishReport('compose-up-down', report);
}

await main();
