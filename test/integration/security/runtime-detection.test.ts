// Runtime detection end to end, through the docker CLI against berthd --detect: each of the
// default rules (deploy/detection-rules.yaml) fires on its trigger and not on a normal workload,
// `kill` and `pause` act on the container, the detections are counted in /metrics, and an invalid
// rules file stops berthd before it serves. Needs root, runc, the docker CLI and gcc.
//
// No assertion waits on the clock. A detection is waited for on the daemon's event stream (the
// bound only ends a stuck run). That a rule did not fire on a normal workload is shown with a
// barrier: the normal workload runs to its end in a container, then the rule's trigger runs in the
// same container; its detection comes through the same ordered stream, and no detection of that
// rule in that container may come before it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthClient } from '../../../src/client/berth-client.js';
import type { DockerEvent } from '../../../src/client/event-client.js';
import { needsRoot } from '../../support/berth-cli.js';
import { BERTHD_BIN } from '../../support/berthd-process.js';
import { DockerCliSession } from '../../support/docker-cli-session.js';
import { testCgroupName } from '../runtime/runtime-fixtures.js';
import { buildProbeImage, detectionSkip, EventFollower, summary } from './detection-fixtures.js';

const PROBE = 'detect-probe:1';

/** Unix seconds, exact to the millisecond. */
const seconds = (ms: number): string => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;

interface Harness {
  session: DockerCliSession;
  events: EventFollower;
  client: BerthClient;
}

/** A berthd with `daemonArgs`, its event stream followed from the start, the probe image built. */
async function startHarness(prefix: string, daemonArgs: readonly string[]): Promise<Harness> {
  const session = await DockerCliSession.start(prefix, daemonArgs);
  try {
    const events = await EventFollower.follow(session.daemon.socketPath);
    try {
      await buildProbeImage(session, PROBE);
      return { session, events, client: new BerthClient(session.daemon.socketPath) };
    } catch (err) {
      await events.close();
      throw err;
    }
  } catch (err) {
    await session.close();
    throw err;
  }
}

async function stopHarness(harness: Harness | undefined): Promise<void> {
  if (harness === undefined) return;
  try {
    await harness.events.close();
  } finally {
    await harness.session.close();
  }
}

/** The attributes every detection event carries, and `expected` among them. */
function assertDetection(event: DockerEvent, expected: Record<string, string>): void {
  const attributes = event.Actor.Attributes;
  const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, attributes[key]]));
  assert.deepEqual(picked, expected, summary(event));
  assert.equal(event.Type, 'container');
  assert.equal(attributes.image, PROBE);
  assert.ok(attributes.name !== undefined && attributes.name !== '', 'the container name is an attribute');
}

/** /metrics' berth_detections_total of one rule and action (0 when absent). */
async function detectionCount(client: BerthClient, rule: string, action: string): Promise<number> {
  const text = (await client.transport.call('GET', '/metrics')).body.toString('utf8');
  const line = text.split('\n').find((l) => l.startsWith(`berth_detections_total{rule="${rule}",action="${action}"} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('runtime detection: the default rules (berthd --detect)', { skip: detectionSkip() }, () => {
  let h: Harness | undefined;
  const harness = (): Harness => {
    assert.ok(h !== undefined, 'the session did not start');
    return h;
  };
  const ok = (...args: string[]): string => harness().session.ok(...args);
  /** `docker run -d …`: the container's id. */
  const run = (...args: string[]): string => ok('run', '-d', ...args).trim();
  /** Fails, listing them, when `rule` fired in container `id` before the event at `index`. */
  const assertNoneBefore = (index: number, id: string, rule: string, normal: string): void => {
    assert.deepEqual(harness().events.before(index, id, rule).map(summary), [], `${rule} fired on the normal workload (${normal})`);
  };

  before(async () => {
    h = await startHarness('berth-detect-', ['--detect']);
  });
  after(async () => {
    await stopHarness(h);
  });

  test('shell_spawned: a shell the workload starts; not the workload\'s own shell, its other programs or shells of docker exec', async () => {
    // The workload is one shell: it runs a program, then each command written to the FIFO /tmp/go in a shell of its own.
    const id = run('--name', 'shell-spawned', PROBE, 'sh', '-c', '/bin/busybox true; while read cmd < /tmp/go; do sh -c "$cmd" & done');
    ok('exec', id, 'sh', '-c', 'sh -c "sleep 0; true"; echo hi');
    ok('exec', id, 'sh', '-c', 'ls / > /dev/null');
    ok('exec', id, 'sh', '-c', 'echo "sleep 1000; true" > /tmp/go');
    const { index, event } = await harness().events.detection(id, 'shell_spawned', (a) => a.command === 'sh -c sleep 1000; true');
    assertDetection(event, { rule: 'shell_spawned', severity: 'warning', action: 'alert', on: 'exec', exe: '/bin/busybox', command: 'sh -c sleep 1000; true' });
    assertNoneBefore(index, id, 'shell_spawned', 'the workload\'s shell, /bin/busybox true, shells in docker exec');
  });

  test('reverse_shell: a shell whose stdin and stdout are a TCP connection; not a shell with pipes', async () => {
    const id = run('--name', 'reverse-shell', PROBE, 'nc', '-l', '-p', '4444', '-e', 'sh');
    ok('exec', id, 'sh', '-c', 'echo x | cat');
    ok('exec', id, 'sh', '-c', 'sleep 0 | cat > /dev/null; true');
    ok('exec', id, 'sh', '-c', 'until netstat -ltn | grep -q ":4444 "; do sleep 0.1; done'); // nc listens
    ok('exec', '-d', id, 'sh', '-c', 'sleep 600 | nc 127.0.0.1 4444');
    const { index, event } = await harness().events.detection(id, 'reverse_shell', (a) => a.command === 'sh');
    assertDetection(event, { rule: 'reverse_shell', severity: 'critical', action: 'alert', on: 'exec', exe: '/bin/busybox', command: 'sh' });
    assertNoneBefore(index, id, 'reverse_shell', 'shells with pipes');
  });

  test('drift_binary: a program written in the container and run; not the image\'s programs', async () => {
    const id = run('--name', 'drift-binary', PROBE, 'sleep', '1000');
    ok('exec', id, '/bin/busybox', 'true');
    ok('exec', id, 'sh', '-c', '/bin/busybox true; ls / > /dev/null; /usr/bin/detect-probe usage 2> /dev/null; true');
    ok('exec', id, 'sh', '-c', 'cp /bin/busybox /tmp/busybox && /tmp/busybox true');
    const { index, event } = await harness().events.detection(id, 'drift_binary', (a) => a.exe === '/tmp/busybox');
    assertDetection(event, { rule: 'drift_binary', severity: 'critical', action: 'alert', on: 'exec', exe: '/tmp/busybox' });
    assertNoneBefore(index, id, 'drift_binary', 'busybox and detect-probe of the image');
  });

  test('exec_from_memory: a program run from a memfd; not one run from its file', async () => {
    const id = run('--name', 'exec-from-memory', PROBE, 'detect-probe', 'hold');
    ok('exec', '-d', id, 'detect-probe', 'hold');
    ok('exec', id, 'ls', '/usr/bin');
    ok('exec', '-d', id, 'detect-probe', 'memfd');
    const { index, event } = await harness().events.detection(id, 'exec_from_memory', (a) => a.exe?.startsWith('/memfd:') === true);
    assertDetection(event, { rule: 'exec_from_memory', severity: 'critical', action: 'alert', on: 'exec', exe: '/memfd:probe (deleted)', command: 'detect-probe hold' });
    assertNoneBefore(index, id, 'exec_from_memory', 'detect-probe hold from /usr/bin');
  });

  test('package_manager: dpkg run in the container; not ls; docker events --filter event=detection shows it; /metrics counts it', async () => {
    const since = seconds(Date.now() - 1000);
    const id = run('--name', 'package-manager', PROBE, 'detect-probe', 'hold');
    ok('exec', id, 'ls', '/');
    ok('exec', id, 'sh', '-c', 'cat /etc/passwd > /dev/null; ls /var/lib > /dev/null');
    // `dpkg -l` waits on the FIFO /var/lib/dpkg/status: it is still running when its exec is read.
    ok('exec', '-d', id, 'dpkg', '-l');
    const { index, event } = await harness().events.detection(id, 'package_manager', (a) => a.command === 'dpkg -l');
    assertDetection(event, { rule: 'package_manager', severity: 'warning', action: 'alert', on: 'exec', exe: '/bin/busybox', command: 'dpkg -l' });
    assertNoneBefore(index, id, 'package_manager', 'ls, cat');
    // The docker CLI's filter on the event (a prefix: `detection` selects `detection: <rule>`).
    const listed = ok('events', '--since', since, '--until', seconds(Date.now() + 1), '--filter', 'event=detection', '--filter', `container=${id}`, '--format', '{{json .}}');
    const actions = listed.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { Action: string }).Action);
    assert.deepEqual(actions, ['detection: package_manager']);
    assert.ok(await detectionCount(harness().client, 'package_manager', 'alert') >= 1, 'berth_detections_total{rule="package_manager",action="alert"} in /metrics');
  });

  test('sensitive_file_read: /etc/shadow opened; not /etc/passwd or a listing of /etc', async () => {
    const id = run('--name', 'sensitive-file-read', PROBE, 'detect-probe', 'hold');
    ok('exec', id, 'cat', '/etc/passwd');
    ok('exec', id, 'sh', '-c', 'ls -l /etc /etc/shadow > /dev/null; cat /etc/group > /dev/null');
    ok('exec', id, 'cat', '/etc/shadow');
    const { index, event } = await harness().events.detection(id, 'sensitive_file_read', (a) => a.path === '/etc/shadow');
    assertDetection(event, { rule: 'sensitive_file_read', severity: 'warning', action: 'alert', on: 'open', path: '/etc/shadow' });
    assertNoneBefore(index, id, 'sensitive_file_read', 'cat /etc/passwd, ls -l /etc');
  });

  test('system_dir_write: a file written below /etc or /usr; not below /tmp, nor reads of /etc', async () => {
    const id = run('--name', 'system-dir-write', PROBE, 'detect-probe', 'hold');
    ok('exec', id, 'sh', '-c', 'echo x > /tmp/foo; mkdir -p /tmp/y && echo y > /tmp/y/z; cat /etc/passwd > /dev/null');
    ok('exec', id, 'sh', '-c', 'echo x > /etc/foo');
    const etc = await harness().events.detection(id, 'system_dir_write', (a) => a.path === '/etc/foo');
    assertDetection(etc.event, { rule: 'system_dir_write', severity: 'warning', action: 'alert', on: 'write', path: '/etc/foo' });
    assertNoneBefore(etc.index, id, 'system_dir_write', 'writes below /tmp');
    ok('exec', id, 'sh', '-c', 'mkdir -p /usr/share/x && echo x > /usr/share/x/y');
    const usr = await harness().events.detection(id, 'system_dir_write', (a) => a.path === '/usr/share/x/y');
    assertDetection(usr.event, { rule: 'system_dir_write', path: '/usr/share/x/y' });
  });

  test('raw_socket: raw and packet sockets; not a TCP listener', async () => {
    const id = run('--name', 'raw-socket', '--cap-add', 'NET_RAW', PROBE, 'nc', '-l', '-p', '8080');
    ok('exec', id, 'sh', '-c', 'until netstat -ltn | grep -q ":8080 "; do sleep 0.1; done');
    // The TCP listener is open from here on: the scan that finds the raw socket sees it too.
    ok('exec', '-d', id, 'detect-probe', 'raw');
    const raw = await harness().events.detection(id, 'raw_socket', (a) => a.kind === 'raw');
    assertDetection(raw.event, { rule: 'raw_socket', severity: 'warning', action: 'alert', on: 'socket', kind: 'raw', protocol: '1' });
    assertNoneBefore(raw.index, id, 'raw_socket', 'a TCP listener');
    ok('exec', '-d', id, 'detect-probe', 'packet');
    const packet = await harness().events.detection(id, 'raw_socket', (a) => a.kind === 'packet');
    assertDetection(packet.event, { rule: 'raw_socket', on: 'socket', kind: 'packet', protocol: '0x0003' });
    assert.equal(harness().events.before(packet.index, id, 'raw_socket').length, 1, 'the raw socket is reported once');
  });

  test('ptrace_attach: a process attaching to another; not processes that only run', async () => {
    const id = run('--name', 'ptrace-attach', PROBE, 'detect-probe', 'hold');
    ok('exec', '-d', id, 'detect-probe', 'hold');
    ok('exec', id, 'sh', '-c', 'ls /proc/1 > /dev/null; cat /proc/1/status > /dev/null');
    ok('exec', '-d', id, 'detect-tracer', 'ptrace'); // detect-probe under another name
    const { index, event } = await harness().events.detection(id, 'ptrace_attach', (a) => a.exe === '/usr/local/bin/detect-tracer');
    assertDetection(event, { rule: 'ptrace_attach', severity: 'warning', action: 'alert', on: 'ptrace', exe: '/usr/local/bin/detect-tracer' });
    assertNoneBefore(index, id, 'ptrace_attach', 'detect-probe hold, ls, cat');
  });
});

describe('runtime detection: pause and kill (berthd --detection-rules FILE)', { skip: detectionSkip() }, () => {
  let h: Harness | undefined;
  let rulesDir: string | undefined;
  const harness = (): Harness => {
    assert.ok(h !== undefined, 'the session did not start');
    return h;
  };
  const ok = (...args: string[]): string => harness().session.ok(...args);
  const inspect = (id: string, format: string): string => ok('inspect', '--format', format, id).trim();

  before(async () => {
    rulesDir = await mkdtemp(join(tmpdir(), 'berth-detect-rules-'));
    const rules = join(rulesDir, 'rules.yaml');
    await writeFile(rules, [
      'rules:',
      '  - name: package_manager',
      '    on: exec',
      '    programs: [dpkg, rpm]',
      '    action: kill',
      '  - name: system_dir_write',
      '    on: write',
      '    paths: [/etc]',
      '    action: pause',
      '',
    ].join('\n'));
    h = await startHarness('berth-detect-act-', ['--detection-rules', rules]);
  });
  after(async () => {
    try {
      await stopHarness(h);
    } finally {
      if (rulesDir !== undefined) await rm(rulesDir, { recursive: true, force: true });
    }
  });

  test('kill: dpkg run in the container kills it; ls does not', async () => {
    const id = ok('run', '-d', '--name', 'killed', PROBE, 'detect-probe', 'hold').trim();
    ok('exec', id, 'ls', '/');
    ok('exec', '-d', id, 'dpkg', '-l');
    const { index, event } = await harness().events.detection(id, 'package_manager', (a) => a.command === 'dpkg -l');
    assertDetection(event, { rule: 'package_manager', action: 'kill', command: 'dpkg -l' });
    assert.deepEqual(harness().events.before(index, id, 'package_manager').map(summary), [], 'ls did not match');
    assert.equal(ok('wait', id).trim(), '137', 'killed with SIGKILL');
    assert.equal(inspect(id, '{{.State.Running}} {{.State.Status}}'), 'false exited');
    await harness().events.waitFor('the die event', (e) => e.Actor.ID === id && e.Action === 'die');
    assert.equal(await detectionCount(harness().client, 'package_manager', 'kill'), 1);
  });

  test('pause: a write below /etc pauses the container; one below /tmp does not', async () => {
    const id = ok('run', '-d', '--name', 'paused', PROBE, 'detect-probe', 'hold').trim();
    try {
      ok('exec', id, 'sh', '-c', 'echo x > /tmp/foo');
      // Detached: the exec's own process may be frozen with the container.
      ok('exec', '-d', id, 'sh', '-c', 'echo x > /etc/foo');
      const { index, event } = await harness().events.detection(id, 'system_dir_write', (a) => a.path === '/etc/foo');
      assertDetection(event, { rule: 'system_dir_write', action: 'pause', path: '/etc/foo' });
      assert.deepEqual(harness().events.before(index, id, 'system_dir_write').map(summary), [], 'the write below /tmp did not match');
      await harness().events.waitFor('the pause event', (e) => e.Actor.ID === id && e.Action === 'pause');
      assert.equal(inspect(id, '{{.State.Paused}} {{.State.Status}}'), 'true paused');
      assert.equal(await detectionCount(harness().client, 'system_dir_write', 'pause'), 1);
    } finally {
      harness().session.docker(['unpause', id]);
    }
  });
});

describe('runtime detection: an invalid rules file', { skip: needsRoot() }, () => {
  let work: string | undefined;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-detect-bad-'));
  });
  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  /** Runs bin/berthd.js with the rules file and returns its exit code and stderr (bounded at 60 s). */
  const berthd = (dir: string, rules: string): Promise<{ code: number | null; stderr: string }> => new Promise((resolve, reject) => {
    const args = [BERTHD_BIN, '--root', join(dir, 'root'), '--socket', join(dir, 'berth.sock'), '--cgroup-parent', `/${testCgroupName()}`, '--detection-rules', rules];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });

  const cases: { name: string; text: string[]; message: string }[] = [
    {
      name: 'a condition for another kind of event',
      text: ['rules:', '  - name: ok_rule', '    on: ptrace', '  - name: bad_rule', '    on: exec', '    programs: [sh]', '    paths: [/etc]'],
      message: ':7: rule "bad_rule" (rules[1]): field paths: only for rules on open or write (this one is on exec)',
    },
    {
      name: 'an unknown action',
      text: ['rules:', '  - name: explode', '    on: ptrace', '    action: explode'],
      message: ':4: rule "explode" (rules[0]): field action: ',
    },
  ];
  for (const { name, text, message } of cases) {
    test(`berthd refuses to start, naming file:line, rule and field: ${name}`, async () => {
      assert.ok(work !== undefined);
      const dir = await mkdtemp(join(work, 'case-'));
      const rules = join(dir, 'rules.yaml');
      await writeFile(rules, `${text.join('\n')}\n`);
      const { code, stderr } = await berthd(dir, rules);
      assert.equal(code, 1, stderr);
      assert.ok(stderr.includes(`${rules}${message}`), stderr);
      assert.equal(existsSync(join(dir, 'berth.sock')), false, 'berthd did not serve');
    });
  }
});
