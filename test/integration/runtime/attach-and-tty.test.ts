// Attach, stdin and TTY through conmon's attach socket and ctl FIFO, on the real kernel, runc and
// conmon: stdout/stderr apart, stdin with and without stdin-once, a pty with resize, execs with a
// TTY and with stdin, and paths longer than a unix socket address. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { attachSocketPath, connectAttach } from '../../../src/runtime/attach-socket.js';
import { launchContainer } from '../../../src/runtime/conmon-launcher.js';
import { waitForExit } from '../../../src/runtime/exit-file.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { stopContainer } from '../../../src/runtime/stop-container.js';
import { resizeTerminal, terminalControlPath } from '../../../src/runtime/terminal-resize.js';
import { AttachRegistry, BOUND, ptySize } from './attach-helpers.js';
import { CONMON, eventually, minimalSpec, RUNC, RuntimeFixture, skipReason } from './runtime-fixtures.js';

const line = (text: string): RegExp => new RegExp(`^${text}\\r?$`, 'm');

describe('attach, stdin and TTY through conmon', { skip: skipReason() }, () => {
  let f: RuntimeFixture;
  const reg = new AttachRegistry();
  before(async () => { f = await RuntimeFixture.create(); });
  after(async () => {
    reg.closeAll();
    await f.cleanup();
  });

  test('attach before start: stdout and stderr apart and in order; conmon removes the socket at exit', async () => {
    const c = await f.launch('split', ['sh', '-c', 'echo out; echo err >&2; seq 1 20000; echo tail >&2']);
    const out = await reg.attach(attachSocketPath(c.dir));
    await f.runc.start(c.id);
    await out.done;
    assert.equal(await out.connection.closed, 'remote');
    let seq = '';
    for (let i = 1; i <= 20000; i++) seq += `${i}\n`;
    assert.equal(out.stdout, `out\n${seq}`);
    assert.equal(out.stderr, 'err\ntail\n');
    assert.equal(out.packets[0]?.stream, 'stdout');
    assert.ok(out.packets.length > 2, 'big output comes in several packets');
    assert.ok(out.packets.every((p) => p.data.length <= 8192), 'packets are at most one conmon read');
    assert.equal(await waitForExit(c.exitDir, c.id, BOUND()), 0);
    assert.deepEqual((await readLog(c.logPath, { streams: ['stderr'] })).map((e) => e.line), ['err', 'tail']);
    // conmon closes the listener before the exit file and unlinks the socket just before it exits.
    await eventually('conmon to exit', () => !isProcessAlive(c.conmonPid));
    await assert.rejects(connectAttach(attachSocketPath(c.dir)), (err) => isBerthError(err, 'not-found'));
    assert.ok((await lstat(join(f.socketDir, c.uuid))).isSymbolicLink(), 'conmon leaves <socketDir>/<uuid> behind');
    await f.remove(c);
  });

  test('stdin-once: lines come back from cat, half-close ends stdin, exit 0; big writes are split', async () => {
    const c = await f.launch('cat', ['cat'], {}, { stdin: true, stdinOnce: true });
    const out = await reg.attach(attachSocketPath(c.dir));
    await f.runc.start(c.id);
    await out.connection.writeStdin('hello\n');
    await out.until('hello echoed', (o) => o.stdout === 'hello\n');
    let big = '';
    for (let i = 0; big.length < 300_000; i++) big += `line ${i} ${'y'.repeat(i % 97)}\n`;
    await Promise.all([out.connection.writeStdin(Buffer.from(big)), out.connection.writeStdin('world\n')]);
    await out.connection.closeStdin();
    await assert.rejects(out.connection.writeStdin('late\n'), (err) => isBerthError(err, 'failed-precondition'));
    await out.done;
    assert.equal(out.stdout, `hello\n${big}world\n`);
    assert.equal(await waitForExit(c.exitDir, c.id, BOUND()), 0);
    await f.remove(c);
  });

  test('stdin left open: a second client still writes after the first half-closed', async () => {
    const c = await f.launch('cat-open', ['cat'], {}, { stdin: true });
    await f.runc.start(c.id);
    const first = await reg.attach(attachSocketPath(c.dir));
    await first.connection.writeStdin('one\n');
    await first.until('one echoed', (o) => o.stdout === 'one\n');
    await first.connection.closeStdin();
    first.connection.close();
    assert.equal(await first.connection.closed, 'local');
    const second = await reg.attach(attachSocketPath(c.dir));
    await second.connection.writeStdin('two\n');
    await second.until('two echoed', (o) => o.stdout === 'two\n');
    assert.ok(isProcessAlive(c.pid), 'cat still runs: its stdin is open');
    assert.equal((await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() })).exitCode, 137);
    await second.done;
    assert.equal(await second.connection.closed, 'remote');
    await f.remove(c);
  });

  test('TTY: /dev/pts/0, the size set through ctl (before start and while running), exit code 7', async () => {
    const c = await f.launch('tty', ['sh'], {}, { terminal: true, stdin: true });
    const ctl = terminalControlPath(c.dir);
    const out = await reg.attach(attachSocketPath(c.dir));
    await resizeTerminal(ctl, 30, 100);
    await f.runc.start(c.id);
    await eventually('the pty to be 30x100', async () => (await ptySize(c.pid)) === '30 100', 30_000);
    await out.connection.writeStdin('tty; stty size; echo $((6*7))\n');
    await out.until('size and answer', (o) => line('30 100').test(o.stdout) && line('42').test(o.stdout));
    assert.match(out.stdout, line('/dev/pts/0'));
    await resizeTerminal(ctl, 40, 120);
    await eventually('the pty to be 40x120', async () => (await ptySize(c.pid)) === '40 120', 30_000);
    await out.connection.writeStdin('stty size; echo hello; exit 7\n');
    await out.done;
    assert.match(out.stdout, line('40 120'));
    assert.match(out.stdout, line('hello'));
    assert.equal(out.stderr, '', 'a terminal has only one output stream');
    assert.equal(await waitForExit(c.exitDir, c.id, BOUND()), 7);
    assert.ok((await readLog(c.logPath)).every((e) => e.stream === 'stdout'));
    assert.ok((await readLog(c.logPath)).some((e) => /^hello\r?$/.test(e.line)), 'the log has the TTY output');
    await eventually('conmon to exit', () => !isProcessAlive(c.conmonPid));
    await assert.rejects(resizeTerminal(ctl, 10, 10), (err) => isBerthError(err, 'failed-precondition'));
    await assert.rejects(resizeTerminal(ctl, -1, 10), (err) => isBerthError(err, 'invalid-argument'));
    await f.remove(c);
  });

  test('exec with a TTY and exec with stdin into a running container; the container keeps its socket', async () => {
    const c = await f.launch('execs', ['sleep', '1000']);
    await f.runc.start(c.id);
    const tty = await reg.prepareExec(f, c, 'exec-tty', ['sh'], { terminal: true, stdin: true });
    assert.equal(tty.attachSocketPath, join(c.dir, 'exec-tty', 'attach'));
    const ttyOut = await reg.attach(tty.attachSocketPath);
    await resizeTerminal(tty.controlPath, 25, 90);
    const ttyRun = await tty.start(BOUND());
    await eventually('the exec pty to be 25x90', async () => (await ptySize(ttyRun.pid)) === '25 90', 30_000);
    await ttyOut.connection.writeStdin('tty; stty size; exit 3\n');
    assert.equal(await ttyRun.wait(BOUND()), 3);
    await ttyOut.done;
    assert.match(ttyOut.stdout, line('/dev/pts/\\d+'));
    assert.match(ttyOut.stdout, line('25 90'));

    const cat = await reg.prepareExec(f, c, 'exec-cat', ['sh', '-c', 'cat; echo done >&2'], { stdin: true });
    const catOut = await reg.attach(cat.attachSocketPath);
    const catRun = await cat.start(BOUND());
    await catOut.connection.writeStdin('exec-in\n');
    await catOut.until('exec-in echoed', (o) => o.stdout === 'exec-in\n');
    await catOut.connection.closeStdin();
    assert.equal(await catRun.wait(BOUND()), 0);
    await catOut.done;
    assert.deepEqual([catOut.stdout, catOut.stderr], ['exec-in\n', 'done\n']);

    const never = await reg.prepareExec(f, c, 'exec-never', ['sh', '-c', 'echo ran']);
    never.cancel();
    await eventually('the canceled exec conmon to exit', () => !isProcessAlive(never.conmonPid));
    await assert.rejects(stat(join(c.dir, 'exec-never', 'pid')), { code: 'ENOENT' }, 'runc exec never ran');

    assert.ok((await stat(attachSocketPath(c.dir))).isSocket(), 'the container attach socket is still there');
    const containerUuids = new Set(f.containers.map((o) => o.uuid));
    assert.deepEqual((await readdir(f.socketDir)).filter((name) => !containerUuids.has(name)), [], 'execs leave no symlinks');
    const own = await reg.attach(attachSocketPath(c.dir));
    own.connection.close();
    assert.equal(await own.connection.closed, 'local');
    await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() });
    await f.remove(c);
  });

  test('a bundle whose process.terminal disagrees with the launch is invalid-argument', async () => {
    const dir = join(f.dir, 'mismatch');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(minimalSpec(f.rootfs, ['true'], `${f.cgroupParent}/mismatch`)));
    await assert.rejects(launchContainer({
      id: 'mismatch', bundleDir: dir, runtimeRoot: f.runc.root, runcPath: RUNC, conmonPath: CONMON, logPath: join(dir, 'log'),
      logSizeMax: -1, exitDir: join(dir, 'exits'), persistDir: join(dir, 'persist'), socketDir: f.socketDir,
      pidFile: join(dir, 'pid'), conmonPidFile: join(dir, 'conmon.pid'), workDir: join(dir, 'work'), terminal: true, stdin: false,
    }), (err) => isBerthError(err, 'invalid-argument'));
  });
});

describe('attach with paths longer than a unix socket address', { skip: skipReason() }, () => {
  let f: RuntimeFixture;
  const reg = new AttachRegistry();
  before(async () => { f = await RuntimeFixture.create({ longPath: true }); });
  after(async () => {
    reg.closeAll();
    await f.cleanup();
  });

  test('two clients (bundle path and socket-dir symlink) both get the output; stdin-once ends cat', async () => {
    const c = await f.launch('long', ['cat'], {}, { stdin: true, stdinOnce: true });
    const viaBundle = attachSocketPath(c.dir);
    const viaSymlink = join(f.socketDir, c.uuid, 'attach');
    assert.ok(Buffer.byteLength(viaBundle) > 108 && Buffer.byteLength(viaSymlink) > 108, 'paths longer than sun_path');
    const a = await reg.attach(viaBundle);
    const b = await reg.attach(viaSymlink);
    await f.runc.start(c.id);
    await a.connection.writeStdin('long path\n');
    await a.until('echo on a', (o) => o.stdout === 'long path\n');
    await b.until('echo on b', (o) => o.stdout === 'long path\n');
    await a.connection.closeStdin();
    await Promise.all([a.done, b.done]);
    assert.equal(await waitForExit(c.exitDir, c.id, BOUND()), 0);
    await f.remove(c);
  });

  test('exec with stdin and a TTY under a long path', async () => {
    const c = await f.launch('long-exec', ['sleep', '1000']);
    await f.runc.start(c.id);
    const exec = await reg.prepareExec(f, c, `exec-${'e'.repeat(40)}`, ['sh'], { terminal: true, stdin: true });
    const out = await reg.attach(exec.attachSocketPath);
    await resizeTerminal(exec.controlPath, 12, 34);
    const run = await exec.start(BOUND());
    await eventually('the exec pty to be 12x34', async () => (await ptySize(run.pid)) === '12 34', 30_000);
    await out.connection.writeStdin('stty size; exit 4\n');
    assert.equal(await run.wait(BOUND()), 4);
    await out.done;
    assert.match(out.stdout, line('12 34'));
    await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() });
    await f.remove(c);
  });
});
