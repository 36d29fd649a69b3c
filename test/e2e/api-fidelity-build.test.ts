// `POST /build` as dockerd's classic builder answers it, dockerd's answer taken as the expected one:
// an empty Dockerfile, RUN output on stderr, repeated query parameters, extra hosts, --cache-from,
// and user networks. Clients: the docker CLI (DOCKER_BUILDKIT=0), dockerode, raw HTTP for the
// repeated parameters. Containers reach nothing outside. Needs root, runc, conmon, docker.io.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { http, jsonLines, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const STDERR_START = '\u001b[91m';
const STDERR_END = '\u001b[0m';
/** The text inside the classic builder's red, or undefined for a message not wrapped whole. */
const insideRed = (text: string): string | undefined =>
  (text.startsWith(STDERR_START) && text.endsWith(STDERR_END) ? text.slice(STDERR_START.length, -STDERR_END.length) : undefined);

/** A build context as a tar of `files`. */
async function contextTar(dir: string, files: Record<string, string>): Promise<Buffer> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return spawnSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 1 << 24 }).stdout;
}

/** dockerode's build: the JSON messages, or the HTTP failure. */
async function dockerodeBuild(daemon: Daemon, tar: Buffer, options: Record<string, unknown>): Promise<{ messages?: Record<string, unknown>[]; status?: number; message?: string }> {
  try {
    const stream = await daemon.client.buildImage(Readable.from([tar]), options);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return { messages: jsonLines(Buffer.concat(chunks).toString('utf8')) };
  } catch (err) {
    // dockerode keeps a streamed call's error body only in its message: `(HTTP code 400) unexpected - <message> `.
    const failure = err as { statusCode?: number; json?: { message?: string } | null; message?: string };
    return { status: failure.statusCode ?? 0, message: failure.json?.message ?? /\) [a-z ]+ - (.*?)\s*$/.exec(failure.message ?? '')?.[1] ?? String(err) };
  }
}

const usingCache = (out: string): number => out.match(/Using cache/g)?.length ?? 0;

describe('builds as dockerd\'s classic builder answers them', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let work: string;

  before(async () => {
    pair = await SideBySide.start('berth-e2e-build-fidelity-');
    work = pair.berth.work;
  });
  after(async () => { await pair.close(); });

  test('an empty Dockerfile: dockerd\'s status and message, before any output', async () => {
    const tar = await contextTar(join(work, 'empty'), { Dockerfile: '' });
    const answers = [];
    for (const daemon of pair.daemons) {
      answers.push(await dockerodeBuild(daemon, tar, {}));
      const cli = daemon.docker(['build', join(work, 'empty')]);
      assert.notEqual(cli.code, 0);
      answers.push(cli.err.split('\n').filter((l) => l.startsWith('Error')));
    }
    assert.deepEqual(answers[0], { status: 400, message: 'the Dockerfile (Dockerfile) cannot be empty' });
    assert.deepEqual(answers.slice(2), answers.slice(0, 2));
  });

  test('RUN output on stderr is wrapped as the classic builder wraps it; stdout is not', async () => {
    const tar = await contextTar(join(work, 'stderr'), { Dockerfile: 'FROM busybox\nRUN echo out1 && echo err1 >&2 && echo err2 >&2 && printf partial >&2\n' });
    const seen = [];
    for (const daemon of pair.daemons) {
      const { messages = [] } = await dockerodeBuild(daemon, tar, { nocache: true });
      const streams = messages.map((m) => m.stream).filter((s): s is string => typeof s === 'string');
      const wrapped = streams.filter((s) => s.startsWith(STDERR_START));
      assert.ok(wrapped.every((s) => insideRed(s) !== undefined), `${daemon.name}: ${JSON.stringify(wrapped)}`);
      seen.push({ stderr: wrapped.map(insideRed).join(''), stdout: streams.includes('out1\n'), ok: messages.some((m) => m.aux !== undefined) });
    }
    assert.deepEqual(seen[0], { stderr: 'err1\nerr2\npartial', stdout: true, ok: true });
    assert.deepEqual(seen[1], seen[0]);
  });

  test('a repeated query parameter counts by its first value (t is a list)', async () => {
    const tar = await contextTar(join(work, 'repeated'), { 'Dockerfile.a': 'FROM busybox\nLABEL from=a\n', 'Dockerfile.b': 'FROM busybox\nLABEL from=b\n' });
    const labels = (v: string) => encodeURIComponent(JSON.stringify({ v }));
    const path = `/build?dockerfile=Dockerfile.a&dockerfile=Dockerfile.b&labels=${labels('first')}&labels=${labels('second')}&t=rep:1&t=rep:2&q=1`;
    const results = [];
    for (const daemon of pair.daemons) {
      const answer = await http(daemon.socketPath, 'POST', path, tar, { 'Content-Type': 'application/x-tar' });
      assert.equal(answer.status, 200, answer.body);
      const [one, two] = await Promise.all(['rep:1', 'rep:2'].map((ref) => daemon.client.getImage(ref).inspect()));
      assert.equal(one?.Id, two?.Id);
      results.push(one?.Config.Labels);
    }
    assert.deepEqual(results[0], { from: 'a', v: 'first' });
    assert.deepEqual(results[1], results[0]);
  });

  test('extra hosts are in the RUN steps\' /etc/hosts; a malformed one is refused with dockerd\'s message', async () => {
    const dir = join(work, 'hosts');
    const tar = await contextTar(dir, { Dockerfile: 'FROM busybox\nRUN grep -E "myhost|other" /etc/hosts\n' });
    const found = [];
    const refusals = [];
    for (const daemon of pair.daemons) {
      const built = daemon.docker(['build', '--no-cache', '--add-host', 'myhost:10.1.2.3', '--add-host', 'other:10.9.9.9', dir]);
      assert.equal(built.code, 0, `${daemon.name}: ${built.err}`);
      found.push(built.out.split('\n').filter((l) => /^10\.\d+\.\d+\.\d+\s/.test(l)));
      // The docker CLI checks --add-host itself: a malformed entry reaches the daemon only raw.
      const bad = await http(daemon.socketPath, 'POST', '/build?nocache=1&extrahosts=badentry', tar, { 'Content-Type': 'application/x-tar' });
      const last = bad.status === 200 ? jsonLines(bad.body).at(-1)?.error : (JSON.parse(bad.body) as { message: string }).message;
      refusals.push(last);
    }
    assert.deepEqual(found[0], ['10.1.2.3\tmyhost', '10.9.9.9\tother']);
    assert.deepEqual(found[1], found[0]);
    assert.deepEqual(refusals, ['bad format for add-host: "badentry"', 'bad format for add-host: "badentry"']);
  });

  test('--cache-from: a loaded image\'s history is the cache; content changes and unknown sources are not', async () => {
    const dir = join(work, 'cache-from');
    await contextTar(dir, { Dockerfile: 'FROM busybox\nCOPY f.txt /f.txt\nRUN cat /f.txt > /g.txt\nENV A=1\nCMD ["cat", "/g.txt"]\n', 'f.txt': 'one\n' });
    const outcomes = [];
    for (const daemon of pair.daemons) {
      const ok = (...args: string[]): string => {
        const r = daemon.docker(args);
        assert.equal(r.code, 0, `${daemon.name}: docker ${args.join(' ')}: ${r.err}`);
        return r.out;
      };
      const archive = join(work, `cf-${daemon.name}.tar`);
      const original = ok('build', '-q', '-t', 'cf:1', dir).trim();
      ok('save', '-o', archive, 'cf:1');
      ok('rmi', 'cf:1');
      ok('builder', 'prune', '-af');
      ok('load', '-i', archive);
      const restored = usingCache(ok('build', '--cache-from', 'cf:1', '-t', 'cf:2', dir));
      const sameId = ok('image', 'inspect', '-f', '{{.Id}}', 'cf:2').trim() === original;
      const unknownSource = usingCache(ok('build', '--cache-from', 'nosuch:1', '-t', 'cf:3', dir));
      await writeFile(join(dir, 'f.txt'), 'two\n');
      const changed = usingCache(ok('build', '--cache-from', 'cf:1', '-t', 'cf:4', dir));
      await writeFile(join(dir, 'f.txt'), 'one\n');
      outcomes.push({ restored, sameId, unknownSource, changed, runs: ok('run', '--rm', '--network', 'none', 'cf:2') });
    }
    assert.deepEqual(outcomes[0], { restored: 4, sameId: true, unknownSource: 0, changed: 0, runs: 'one\n' });
    assert.deepEqual(outcomes[1], outcomes[0]);
  });

  test('networkmode names a user network: a RUN resolves its containers by name; an unknown one is refused', async () => {
    const berthd = pair.daemon('berthd');
    const ok = (...args: string[]): string => {
      const r = berthd.docker(args);
      assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.err}`);
      return r.out;
    };
    const dir = join(work, 'user-network');
    await contextTar(dir, { Dockerfile: 'FROM busybox\nRUN nslookup peer-by-name && echo RESOLVED\n' });
    ok('network', 'create', 'build-net');
    ok('run', '-d', '--network', 'build-net', '--name', 'peer-by-name', 'busybox', 'sleep', '1000');
    assert.match(ok('build', '--no-cache', '--network', 'build-net', dir), /\nRESOLVED\n/);
    const refusals = pair.daemons.map((daemon) => {
      const r = daemon.docker(['build', '--no-cache', '--network', 'nosuch-net', dir]);
      assert.notEqual(r.code, 0);
      return /network nosuch-net not found/.test(r.out + r.err);
    });
    assert.deepEqual(refusals, [true, true]);
    ok('rm', '-f', 'peer-by-name');
    ok('network', 'rm', 'build-net');
  });
});
