// Benchmark: what runtime detection (`berthd --detect`, the default rules) costs a container that
// runs many programs and writes many files, with detection off and on, in one run. Needs root
// (runc, cgroups, mounts) and the docker CLI.
//
// One state root under /var/tmp/berth-bench/detection-overhead, busybox bootstrapped, and an image
// built on it with a tarball of `--files` small source files and the workload script. berthd runs
// on that root either without detection (off) or with `--detect` (on), never both at once: the
// process connector reports every exec on the host to berth-watch, so an idle berthd --detect
// would also tax the off runs. Each round starts berthd off and on, in turn (which goes first
// alternates), and in each runs the four workloads once with `docker run --rm --network none`,
// then stops it. The workloads, no network:
//   - `system` and `scratch`: `--iterations` times: run /bin/busybox true (a path, so it is an
//     exec), write a file below DIR/share/x and one below /tmp/y, read both back with
//     /bin/busybox cat; then untar the tarball into DIR/src and write `md5sum` of each file (one
//     exec each) next to it. DIR = /usr for `system`: every write below /usr matches the default
//     rule system_dir_write (each match is counted; the events are throttled per container and
//     rule). DIR = /tmp/usr for `scratch`: nothing matches; what is left is the cost of watching;
//   - `execs`: `--execs` times /bin/busybox true, nothing else: the cost of one exec;
//   - `build`: a real compile: copy a generated C project (`--sources` files of a few functions
//     each, a header, a Makefile) from the image to /tmp/build, `make -j--jobs` it with gcc -O2
//     into one program and run that. Its image is busybox plus a toolchain: the host's files of
//     the Debian packages of gcc 12, binutils, make and the C library's headers (`dpkg -L`, regular
//     files and symlinks, documentation left out) in a tar added to `FROM busybox`, built once
//     per run of the benchmark and checked (gcc --version, make --version, a hello.c compiled and
//     run) before the rounds.
// Reported per workload: the median (p90) of the workload's own time (read from /proc/uptime
// inside the container, 10 ms resolution) and of the whole `docker run`, the ratio on/off, the
// CPU time of berthd and berth-watch per run, the matches per run (berth_detections_total in
// /metrics), and for `execs` the time per exec.
// Everything made is removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/detection-overhead.js [--rounds 7] [--warmups 1] [--iterations 300] [--files 300] [--execs 2000] [--sources 30] [--jobs 2]
import { chmod, lstat, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { BerthClient } from '../src/client/berth-client.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import { sweepBenchBase } from './bench-sweep.js';
import { CleanupStack } from './cleanup-stack.js';
import { dockerClient, invoke, REPO, type Client } from './container-clients.js';
import { stopBerthd } from './container-engines.js';
import { parseIntegerOptions } from './integer-options.js';
import { childrenOf, cpuTicks, ticksPerSecond } from './proc-cpu.js';
import { listProcesses } from './proc-memory.js';
import { publishReport } from './report-file.js';
import { median, percentile } from './stats.js';

const log = (line: string): void => { process.stderr.write(`detection-overhead: ${line}\n`); };
const cleanups = new CleanupStack(log);
const runner = new ChildProcessRunner();
const BASE = '/var/tmp/berth-bench/detection-overhead';
const ROOT = join(BASE, 'root');
const SOCKET = join(BASE, 'berth.sock');
const CONTEXT = join(BASE, 'context');
/** The build workload's context: the toolchain tar, the project, the workload script. */
const BUILD_CONTEXT = join(BASE, 'build-context');
const CGROUP_PARENT = 'berth-bench-detect';
const IMAGE = 'detection-bench:1';
const BUILD_IMAGE = 'detection-bench-build:1';

const MODES = ['off', 'on'] as const;
type Mode = (typeof MODES)[number];
/** Each workload's first argument to the script: the DIR of its files, `execs` or `build`. */
const WORKLOADS = { system: '/usr', scratch: '/tmp/usr', execs: 'execs', build: 'build' } as const;
type Workload = keyof typeof WORKLOADS;

/**
 * The host's Debian packages whose files make the build workload's toolchain (those not installed
 * are left out; REQUIRED_PACKAGES must be there). `cc` is an alternative no package lists: the
 * Makefile names gcc.
 */
const TOOLCHAIN_PACKAGES = [
  'gcc-12', 'cpp-12', 'gcc', 'cpp', 'binutils', 'binutils-x86-64-linux-gnu', 'binutils-common', 'libbinutils', 'libctf0', 'libctf-nobfd0',
  'libsframe0', 'libgprofng0', 'libjansson4', 'libc6', 'libc6-dev', 'libgcc-12-dev', 'libgcc-s1', 'libisl23', 'libmpc3', 'libmpfr6',
  'libgmp10', 'libzstd1', 'zlib1g', 'libcc1-0', 'libgomp1', 'libitm1', 'libatomic1', 'libasan8', 'liblsan0', 'libtsan2', 'libubsan1',
  'libquadmath0', 'libhwasan0', 'linux-libc-dev', 'libcrypt-dev', 'libcrypt1', 'libnsl-dev', 'libnsl2', 'libtirpc-dev', 'libtirpc3',
  'rpcsvc-proto', 'make',
];
const REQUIRED_PACKAGES = ['gcc-12', 'binutils', 'libc6-dev', 'make'];
/** Files of the packages left out of the toolchain tar: documentation, manuals, translations. */
const UNNEEDED = /^\/usr\/share\/(doc|man|info|locale|lintian|bug)\//;

/**
 * The workloads (sh; busybox only but for `build`): `workload.sh DIR ITERATIONS`,
 * `workload.sh execs COUNT` or `workload.sh build JOBS`; the last line is `elapsed START END`
 * (/proc/uptime).
 */
const SCRIPT = `#!/bin/sh
set -e
dir=$1
n=$2
start=$(cut -d' ' -f1 /proc/uptime)
if [ "$dir" = execs ]; then
  i=0
  while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    /bin/busybox true
  done
  end=$(cut -d' ' -f1 /proc/uptime)
  echo "elapsed $start $end"
  exit 0
fi
if [ "$dir" = build ]; then
  rm -rf /tmp/build
  cp -r /srv/project /tmp/build
  make -s -C /tmp/build -j"$n"
  /tmp/build/prog
  end=$(cut -d' ' -f1 /proc/uptime)
  echo "elapsed $start $end"
  exit 0
fi
mkdir -p "$dir/share/x" /tmp/y "$dir/src"
i=0
while [ "$i" -lt "$n" ]; do
  i=$((i + 1))
  /bin/busybox true
  echo "file $i of the workload" > "$dir/share/x/$i"
  echo "file $i of the workload" > "/tmp/y/$i"
  /bin/busybox cat "$dir/share/x/$i" "/tmp/y/$i" > /dev/null
done
/bin/busybox tar -xf /srv/src.tar -C "$dir/src"
for f in $(/bin/busybox find "$dir/src" -name '*.c'); do
  /bin/busybox md5sum "$f" > "$f.o"
done
end=$(cut -d' ' -f1 /proc/uptime)
echo "elapsed $start $end"
`;

interface Sample { inside: number; wall: number; berthdCpu: number; watchCpu: number; detections: number }

/** Removes what a run (or a killed one) left: processes naming BASE, mounts below it, the containers' cgroups, the files. */
const sweep = (): Promise<void> => sweepBenchBase(BASE, CGROUP_PARENT, log);

/** The build context: the workload script, a tarball of `files` small C files in directories of 20, the Dockerfile. */
async function writeContext(files: number): Promise<void> {
  const tree = join(BASE, 'tree');
  for (let i = 0; i < files; i++) {
    const dir = join(tree, 'src', `mod${Math.floor(i / 20)}`);
    await mkdir(dir, { recursive: true });
    const body = Array.from({ length: 30 }, (_v, line) => `int f${i}_${line}(int x) { return x * ${line + 1} + ${i}; }`).join('\n');
    await writeFile(join(dir, `file${i}.c`), `/* file ${i} */\n${body}\n`);
  }
  await mkdir(CONTEXT, { recursive: true });
  await runner.run('tar', ['-C', tree, '-cf', join(CONTEXT, 'src.tar'), 'src']);
  await rm(tree, { recursive: true, force: true });
  await writeFile(join(CONTEXT, 'workload.sh'), SCRIPT);
  await chmod(join(CONTEXT, 'workload.sh'), 0o755);
  await writeFile(join(CONTEXT, 'Dockerfile'), 'FROM busybox\nCOPY src.tar /srv/src.tar\nCOPY workload.sh /srv/workload.sh\n');
}

/** Whether the Debian package `name` is installed on the host. */
async function installed(name: string): Promise<boolean> {
  const result = await runner.run('dpkg-query', ['-W', '-f=${Status}', name], { okCodes: [0, 1] });
  return result.stdout.includes('ok installed');
}

/**
 * BUILD_CONTEXT/toolchain.tar: the regular files and symlinks of TOOLCHAIN_PACKAGES as `dpkg -L`
 * lists them, paths relative to /; symlinks to directories (the merged /usr's /lib64 …) are left
 * out, so the directories are real ones in the image. Returns the packages and files taken.
 */
async function writeToolchainTar(): Promise<{ packages: string[]; files: number }> {
  for (const name of REQUIRED_PACKAGES) {
    if (!await installed(name)) throw new Error(`the build workload needs the Debian package ${name} (scripts/install.sh --bench installs it)`);
  }
  const packages: string[] = [];
  const paths = new Set<string>();
  for (const name of TOOLCHAIN_PACKAGES) {
    if (!await installed(name)) continue;
    packages.push(name);
    for (const path of (await runner.run('dpkg', ['-L', name])).stdout.split('\n')) if (path.startsWith('/') && !UNNEEDED.test(path)) paths.add(path);
  }
  const members: string[] = [];
  for (const path of [...paths].sort()) {
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isFile() || (info.isSymbolicLink() && !(await stat(path).then((target) => target.isDirectory(), () => false)))) members.push(path.slice(1));
  }
  await mkdir(BUILD_CONTEXT, { recursive: true });
  await writeFile(join(BASE, 'toolchain.list'), `${members.join('\n')}\n`);
  await runner.run('tar', ['-C', '/', '--no-recursion', '-cf', join(BUILD_CONTEXT, 'toolchain.tar'), '-T', join(BASE, 'toolchain.list')]);
  return { packages, files: members.length };
}

/**
 * BUILD_CONTEXT/project: `sources` modules of four small functions each, a main.c calling every
 * module, a header declaring them, and a Makefile linking them into `prog`; `prog` prints
 * `modules N checksum C`.
 */
async function writeProject(sources: number): Promise<void> {
  const dir = join(BUILD_CONTEXT, 'project');
  await mkdir(dir, { recursive: true });
  const declarations = Array.from({ length: sources }, (_v, i) => `long module${i}(long x);`).join('\n');
  await writeFile(join(dir, 'project.h'), `#ifndef PROJECT_H\n#define PROJECT_H\n#include <stddef.h>\n${declarations}\n#endif\n`);
  for (let i = 0; i < sources; i++) {
    await writeFile(join(dir, `module${i}.c`), [
      '#include <string.h>',
      '#include "project.h"',
      '',
      `static long mix${i}(long x) { return (x * ${2 * i + 3}) ^ (x >> ${(i % 7) + 1}); }`,
      '',
      `static long sum${i}(const long *values, size_t n) {`,
      '  long total = 0;',
      `  for (size_t k = 0; k < n; k++) total += mix${i}(values[k]);`,
      '  return total;',
      '}',
      '',
      `static size_t name${i}(char *out, size_t size) {`,
      `  const char *name = "module ${i}";`,
      '  size_t length = strlen(name);',
      '  if (length >= size) length = size - 1;',
      '  memcpy(out, name, length);',
      '  out[length] = 0;',
      '  return length;',
      '}',
      '',
      `long module${i}(long x) {`,
      '  long values[16];',
      '  char name[32];',
      `  for (int k = 0; k < 16; k++) values[k] = x + k * ${i + 1};`,
      `  return sum${i}(values, 16) + (long)name${i}(name, sizeof name);`,
      '}',
      '',
    ].join('\n'));
  }
  const calls = Array.from({ length: sources }, (_v, i) => `  checksum += module${i}(checksum & 1023);`).join('\n');
  await writeFile(join(dir, 'main.c'), `#include <stdio.h>\n#include "project.h"\n\nint main(void) {\n  long checksum = 1;\n${calls}\n  printf("modules ${sources} checksum %ld\\n", checksum);\n  return 0;\n}\n`);
  await writeFile(join(dir, 'Makefile'), [
    'CC = gcc',
    'CFLAGS = -O2 -Wall',
    'OBJS = $(patsubst %.c,%.o,$(wildcard *.c))',
    '',
    'prog: $(OBJS)',
    '\t$(CC) -o $@ $(OBJS)',
    '',
    '%.o: %.c project.h',
    '\t$(CC) $(CFLAGS) -c -o $@ $<',
    '',
    'clean:',
    '\trm -f prog $(OBJS)',
    '',
  ].join('\n'));
}

/** The build workload's image, built once per run on the running berthd, and its check in a container. */
async function buildToolchainImage(docker: Client, sources: number): Promise<void> {
  const { packages, files } = await writeToolchainTar();
  const size = (await stat(join(BUILD_CONTEXT, 'toolchain.tar'))).size;
  log(`toolchain tar: ${files} files of ${packages.length} packages, ${(size / 2 ** 20).toFixed(0)} MiB`);
  await writeProject(sources);
  await writeFile(join(BUILD_CONTEXT, 'workload.sh'), SCRIPT);
  await chmod(join(BUILD_CONTEXT, 'workload.sh'), 0o755);
  await writeFile(join(BUILD_CONTEXT, 'Dockerfile'), 'FROM busybox\nADD toolchain.tar /\nCOPY project /srv/project\nCOPY workload.sh /srv/workload.sh\n');
  await invoke(docker, ['build', '-q', '-t', BUILD_IMAGE, BUILD_CONTEXT], 600_000);
  const check = 'gcc --version | head -1 && make --version | head -1 && cd /tmp && ' +
    'printf \'#include <stdio.h>\\nint main(void) { puts("hello from gcc"); return 0; }\\n\' > hello.c && gcc -o hello hello.c && ./hello';
  const { stdout } = await invoke(docker, ['run', '--rm', '--pull', 'never', '--network', 'none', BUILD_IMAGE, 'sh', '-c', check], 120_000);
  if (!stdout.includes('hello from gcc')) throw new Error(`the toolchain image does not compile hello.c: ${stdout.slice(-300)}`);
  log(`toolchain image checked: ${stdout.trim().split('\n').join('; ')}`);
}

async function startDaemon(mode: Mode): Promise<BerthdProcess> {
  return BerthdProcess.start(ROOT, SOCKET, ['--cgroup-parent', `/${CGROUP_PARENT}`, ...(mode === 'on' ? ['--detect'] : [])]);
}

/** CPU ticks so far of berthd and of its berth-watch (0 when detection is off). */
async function daemonTicks(daemon: BerthdProcess): Promise<{ berthd: number; watch: number }> {
  const pid = daemon.child.pid;
  if (pid === undefined) throw new Error('berthd has no pid');
  let watch = 0;
  for (const child of await childrenOf(pid)) if (child.comm === 'berth-watch') watch += await cpuTicks(child.pid).catch(() => 0);
  return { berthd: await cpuTicks(pid), watch };
}

/** The sum of berth_detections_total in berthd's /metrics. */
async function detections(client: BerthClient): Promise<number> {
  const text = (await client.transport.call('GET', '/metrics')).body.toString('utf8');
  return text.split('\n').filter((line) => line.startsWith('berth_detections_total{')).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** One `docker run --rm` of the workload on the running berthd. */
async function runWorkload(docker: Client, daemon: BerthdProcess, workload: Workload, count: number, tick: number): Promise<Sample> {
  const image = workload === 'build' ? BUILD_IMAGE : IMAGE;
  const metrics = new BerthClient(SOCKET);
  const detectionsBefore = await detections(metrics);
  const ticksBefore = await daemonTicks(daemon);
  const start = performance.now();
  const { stdout } = await invoke(docker, ['run', '--rm', '--pull', 'never', '--network', 'none', image, 'sh', '/srv/workload.sh', WORKLOADS[workload], String(count)], 600_000);
  const wall = performance.now() - start;
  const ticksAfter = await daemonTicks(daemon);
  const match = /^elapsed ([\d.]+) ([\d.]+)$/m.exec(stdout);
  if (match === null) throw new Error(`${workload}: the workload printed no elapsed line: ${stdout.slice(-300)}`);
  if (workload === 'build' && !/^modules \d+ checksum -?\d+$/m.test(stdout)) throw new Error(`build: the program built printed no checksum: ${stdout.slice(-300)}`);
  const inside = (Number(match[2]) - Number(match[1])) * 1000;
  const ms = (ticks: number): number => (ticks / tick) * 1000;
  return { inside, wall, berthdCpu: ms(ticksAfter.berthd - ticksBefore.berthd), watchCpu: ms(ticksAfter.watch - ticksBefore.watch), detections: await detections(metrics) - detectionsBefore };
}

/** Processes of a test suite (scripts/run-tests.mjs) on the machine: `pid program`. */
async function testSuitesRunning(): Promise<string[]> {
  const suites = (await listProcesses()).filter((p) => p.pid !== process.pid && p.argv.some((arg) => arg.endsWith('run-tests.mjs')));
  return suites.map((p) => `${p.pid} ${p.argv.join(' ').slice(0, 80)}`);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const cell = (values: readonly number[]): string => `${seconds(median(values))} (${seconds(percentile(values, 90))})`;
const ratio = (on: readonly number[], off: readonly number[]): string => `${(median(on) / median(off)).toFixed(3)}×`;

async function main(): Promise<void> {
  const options = parseIntegerOptions(process.argv.slice(2), { rounds: 7, warmups: 1, iterations: 300, files: 300, execs: 2000, sources: 30, jobs: 2 }, { warmups: 0 });
  if (process.getuid?.() !== 0) throw new Error('needs root (runc, cgroups, mounts)');
  await sweep();
  cleanups.push(sweep);
  await mkdir(BASE, { recursive: true });
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const testRuns = await testSuitesRunning();
  if (testRuns.length > 0) log(`warning: a test suite is running (${testRuns.join(', ')}): the figures carry its load`);
  const tick = await ticksPerSecond();
  const base = dockerClient('docker CLI → berthd', 'berth', SOCKET, join(BASE, 'cli'));
  const docker: Client = { ...base, env: { ...base.env, DOCKER_BUILDKIT: '0' } };

  log(`bootstrapping busybox; building ${IMAGE} (${options.files} files in its tarball)`);
  await runner.run(process.execPath, [join(REPO, 'bin', 'berth.js'), '--root', ROOT, 'image', 'bootstrap', 'busybox']);
  await writeContext(options.files);
  let daemon: BerthdProcess | undefined = await startDaemon('off');
  const stopDaemon = async (): Promise<void> => {
    const running = daemon;
    daemon = undefined;
    if (running !== undefined) await stopBerthd(running);
  };
  cleanups.push(stopDaemon);
  await invoke(docker, ['build', '-q', '-t', IMAGE, CONTEXT], 300_000);
  log(`building ${BUILD_IMAGE} (the host's gcc toolchain on busybox, a project of ${options.sources} C files)`);
  await buildToolchainImage(docker, options.sources);
  await stopDaemon();

  const samples: Record<Mode, Record<Workload, Sample[]>> = { off: { system: [], scratch: [], execs: [], build: [] }, on: { system: [], scratch: [], execs: [], build: [] } };
  const workloads = Object.keys(WORKLOADS) as Workload[];
  const counts: Record<Workload, number> = { system: options.iterations, scratch: options.iterations, execs: options.execs, build: options.jobs };
  log(`${options.warmups} warm-up and ${options.rounds} measured rounds; each: berthd off and on, the four workloads`);
  for (let round = 0; round < options.warmups + options.rounds && !cleanups.stopping.signal.aborted; round++) {
    const modes = round % 2 === 0 ? MODES : [...MODES].reverse();
    for (const mode of modes) {
      const running = await startDaemon(mode);
      daemon = running;
      for (const workload of round % 2 === 0 ? workloads : [...workloads].reverse()) {
        const sample = await runWorkload(docker, running, workload, counts[workload], tick);
        if (round >= options.warmups) samples[mode][workload].push(sample);
        log(`round ${round + 1}${round < options.warmups ? ' (warm-up)' : ''}, ${mode}, ${workload}: ${seconds(sample.inside)} inside, ${seconds(sample.wall)} docker run, ${sample.detections} matches`);
      }
      await stopDaemon();
    }
  }
  if (cleanups.stopping.signal.aborted) return;
  const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
  const testRunsAfter = await testSuitesRunning();
  const commit = await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).then((r) => r.stdout.trim(), () => 'unknown');
  await cleanups.run();

  const label = (workload: Workload): string => {
    if (workload === 'execs') return `execs (${options.execs} × /bin/busybox true)`;
    if (workload === 'build') return `build (make -j${options.jobs}, ${options.sources + 1} C files, gcc -O2)`;
    return `${workload} (DIR = ${WORKLOADS[workload]})`;
  };
  const rows = workloads.map((workload) => {
    const off = samples.off[workload];
    const on = samples.on[workload];
    const pick = (list: readonly Sample[], key: keyof Sample): number[] => list.map((s) => s[key]);
    const cpu = (list: readonly Sample[], key: 'berthdCpu' | 'watchCpu'): string => `${(median(pick(list, key)) / 1000).toFixed(2)} s`;
    return `| ${label(workload)} | ${cell(pick(off, 'inside'))} | ${cell(pick(on, 'inside'))} | ${ratio(pick(on, 'inside'), pick(off, 'inside'))} | ` +
      `${cell(pick(off, 'wall'))} | ${cell(pick(on, 'wall'))} | ${ratio(pick(on, 'wall'), pick(off, 'wall'))} | ${cpu(off, 'berthdCpu')} | ${cpu(on, 'berthdCpu')} | ${cpu(on, 'watchCpu')} | ${median(pick(on, 'detections'))} |`;
  });
  const perExec = (mode: Mode): number => (median(samples[mode].execs.map((s) => s.inside)) / options.execs) * 1000;
  const report = [
    `# detection-overhead — a file- and exec-heavy container with berthd --detect off and on, ${options.rounds} rounds`,
    '',
    `Date: ${new Date().toISOString()}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, kernel ${release()}, Node ${process.version}; berth commit ${commit}; ` +
      `load before: ${loadBefore}, after: ${loadAfter}; a test suite running at the start: ${testRuns.length > 0 ? testRuns.join(', ') : 'none'}, at the end: ${testRunsAfter.length > 0 ? testRunsAfter.join(', ') : 'none'}`,
    '',
    `system, scratch: ${options.iterations} × (exec /bin/busybox true, write a file below DIR/share/x and /tmp/y, exec cat of both), untar ${options.files} files into DIR/src, exec md5sum of each into a file next to it.`,
    '',
    `build: copy a project of ${options.sources} modules, main.c, a header and a Makefile to /tmp/build, make -j${options.jobs} with gcc 12 -O2 (the host's toolchain on busybox), link one program, run it.`,
    '',
    '| workload | workload time, off, median (p90) | on | on / off | `docker run --rm`, off | on | on / off | berthd CPU per run, off | on | berth-watch CPU per run | matches per run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `One exec (the execs workload's median / ${options.execs}): ${perExec('off').toFixed(0)} µs off, ${perExec('on').toFixed(0)} µs on (+${(perExec('on') - perExec('off')).toFixed(0)} µs).`,
    '',
    `${options.rounds} runs per workload and mode after ${options.warmups} warm-up round(s); berthd restarted for each mode in each round, which mode goes first alternating.`,
    '',
  ].join('\n');
  await publishReport('detection-overhead', report);
}

try {
  await main();
} catch (err) {
  log(messageOf(err));
  await cleanups.run();
  process.exitCode = 1;
}
