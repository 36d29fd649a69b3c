// The berth CLI's attached sessions against a real berthd (hijacked attach and exec): run without
// -d (output, exit codes, --rm, stdin, TTY), start -a, exec, attach. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CliFixture, needsRoot } from './cli-fixture.js';

describe('berth CLI: attached run, start -a, exec, attach', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => { await f.cleanup(); });

  const allIds = async (): Promise<string[]> => (await f.ok(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean);

  test('run --rm: stdout and stderr apart, the container\'s exit code, nothing left', async () => {
    const before = await allIds();
    const result = await f.cli(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual([result.code, result.stdout, result.stderr], [3, 'out\n', 'err\n']);
    assert.deepEqual(await allIds(), before, '--rm removed the container');
    const ok = await f.cli(['run', '--rm', '--network', 'none', 'busybox', 'true']);
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, '', '']);
  });

  test('run without --rm keeps the exited container; a large output arrives whole', async () => {
    const result = await f.cli(['run', '--name', 'kept', '--network', 'none', 'busybox', 'sh', '-c', 'seq 1 20000; exit 7']);
    assert.equal(result.code, 7);
    assert.equal(result.stdout, Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join(''));
    assert.equal(await f.ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'kept']), 'exited 7\n');
    await f.ok(['rm', 'kept']);
  });

  test('run -i passes stdin and its end; -t gives a terminal (raw output)', async () => {
    const echoed = await f.cli(['run', '--rm', '-i', '--network', 'none', 'busybox', 'sh', '-c', 'cat; echo done'], { input: Buffer.from('hello\nworld\n') });
    assert.deepEqual([echoed.code, echoed.stdout], [0, 'hello\nworld\ndone\n']);
    const tty = await f.cli(['run', '--rm', '-t', '--network', 'none', 'busybox', 'sh', '-c', 'test -t 1 && echo on-a-tty; echo err >&2']);
    assert.equal(tty.code, 0);
    assert.equal(tty.stdout, 'on-a-tty\r\nerr\r\n', 'with a TTY everything comes on stdout, with CRLF');
    const notTty = await f.cli(['run', '--rm', '-it', '--network', 'none', 'busybox', 'true']);
    assert.equal(notTty.code, 2, '-it needs a terminal on stdin');
    assert.match(notTty.stderr, /the input device is not a TTY/);
  });

  test('run: a command that does not exist exits 127, and --rm still removes the container', async () => {
    const before = await allIds();
    const missing = await f.cli(['run', '--rm', '--network', 'none', 'busybox', 'no-such-command']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /no-such-command/);
    assert.deepEqual(await allIds(), before);
  });

  test('start -a: the created container\'s output and exit code', async () => {
    const id = (await f.ok(['create', '--network', 'none', 'busybox', 'sh', '-c', 'echo from-start; echo e >&2; exit 4'])).trim();
    const started = await f.cli(['start', '-a', id]);
    assert.deepEqual([started.code, started.stdout, started.stderr], [4, 'from-start\n', 'e\n']);
    const interactive = (await f.ok(['create', '-i', '--network', 'none', 'busybox', 'sh', '-c', 'read line; echo got $line'])).trim();
    const fed = await f.cli(['start', '-a', '-i', interactive], { input: Buffer.from('input\n') });
    assert.deepEqual([fed.code, fed.stdout], [0, 'got input\n']);
    await f.ok(['rm', id, interactive]);
  });

  test('exec: output, exit code, -i, -e, -w, -u, -d, -t', async () => {
    await f.ok(['run', '-d', '--name', 'exec-target', '--network', 'none', 'busybox', 'sleep', '3600']);
    const plain = await f.cli(['exec', 'exec-target', 'sh', '-c', 'echo in; echo err >&2; exit 5']);
    assert.deepEqual([plain.code, plain.stdout, plain.stderr], [5, 'in\n', 'err\n']);
    const env = await f.cli(['exec', '-e', 'X=1', '-w', '/tmp', '-u', '1000', 'exec-target', 'sh', '-c', 'echo $X $(pwd) $(id -u)']);
    assert.deepEqual([env.code, env.stdout], [0, '1 /tmp 1000\n']);
    const piped = await f.cli(['exec', '-i', 'exec-target', 'cat'], { input: Buffer.from('piped\n') });
    assert.deepEqual([piped.code, piped.stdout], [0, 'piped\n']);
    const detached = await f.cli(['exec', '-d', 'exec-target', 'sh', '-c', 'echo marker > /tmp/detached']);
    assert.deepEqual([detached.code, detached.stdout], [0, '']);
    const tty = await f.cli(['exec', '-t', 'exec-target', 'sh', '-c', 'test -t 0 && echo tty']);
    assert.deepEqual([tty.code, tty.stdout], [0, 'tty\r\n']);
    const stopped = await f.cli(['exec', 'no-such-container', 'true']);
    assert.equal(stopped.code, 3);
    await f.ok(['rm', '-f', 'exec-target']);
  });

  test('attach: stdin in, output out, the exit code; a stopped container is refused', async () => {
    await f.ok(['run', '-d', '-i', '--name', 'attach-target', '--network', 'none', 'busybox', 'sh', '-c', 'read line; echo got $line; exit 6']);
    const attached = await f.cli(['attach', 'attach-target'], { input: Buffer.from('hi\n') });
    assert.deepEqual([attached.code, attached.stdout], [6, 'got hi\n']);
    const refused = await f.cli(['attach', 'attach-target']);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /You cannot attach to a stopped container/);
    await f.ok(['rm', 'attach-target']);
  });
});
