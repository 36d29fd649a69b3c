// berthd's default log driver (`--log-driver`, `--log-opt`, as dockerd's log-driver and
// log-opts): a create without LogConfig gets it; the daemon's options fill the keys a container
// of the same driver lacks; /info names it; a daemon given a driver or option it lacks does not
// start. Needs root and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BerthdProcess } from '../../support/berthd-process.js';
import { DockerCliSession, dockerCliSkip } from '../../support/docker-cli-session.js';

describe('the daemon default log driver', { skip: dockerCliSkip() }, () => {
  let session: DockerCliSession;
  before(async () => {
    session = await DockerCliSession.start('berth-log-defaults-', ['--log-driver', 'local', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=2', '--log-opt', 'compress=false']);
  });
  after(async () => { await session.close(); });

  const logConfig = (...args: string[]): unknown => {
    const id = session.ok('create', '--network', 'none', ...args, 'busybox', 'echo', 'hi').trim();
    return JSON.parse(session.ok('inspect', '-f', '{{json .HostConfig.LogConfig}}', id)) as unknown;
  };

  test("a container without LogConfig gets the daemon's driver and options; its own options win, others' drivers get none", () => {
    assert.deepEqual(logConfig(), { Type: 'local', Config: { 'max-size': '1m', 'max-file': '2', compress: 'false' } });
    assert.deepEqual(logConfig('--log-opt', 'max-file=3'), { Type: 'local', Config: { 'max-file': '3', 'max-size': '1m', compress: 'false' } });
    assert.deepEqual(logConfig('--log-driver', 'json-file'), { Type: 'json-file', Config: {} });
    assert.equal(session.ok('info', '--format', '{{.LoggingDriver}}').trim(), 'local');
  });

  test('the default driver keeps the output readable', () => {
    const id = session.ok('run', '-d', '--network', 'none', 'busybox', 'sh', '-c', 'echo out; echo err >&2').trim();
    session.ok('wait', id);
    const logs = session.docker(['logs', id]);
    assert.deepEqual({ out: logs.out, err: logs.err }, { out: 'out\n', err: 'err\n' });
  });

  test('a daemon given a driver or an option it lacks refuses to start, with the reason', async () => {
    for (const [args, reason] of [
      [['--log-driver', 'journald'], 'error looking up logging plugin journald: plugin "journald" not found'],
      [['--log-opt', 'max-sise=1m'], "unknown log opt 'max-sise' for json-file log driver"],
      [['--log-opt', 'compress=true'], 'compress cannot be true when max-file is less than 2 or max-size is not set'],
    ] as const) {
      await assert.rejects(BerthdProcess.start(session.root, join(session.work, 'other.sock'), args), (err: Error) => err.message.includes(reason));
    }
  });
});
