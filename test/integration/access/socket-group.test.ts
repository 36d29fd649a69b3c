import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AccessDaemon, TemporaryAccounts, needsRootOrTools } from './access-fixture.js';

describe('the API socket: mode 0660, group --group, peers by uid', { skip: needsRootOrTools() }, () => {
  let daemon: AccessDaemon;
  let accounts: TemporaryAccounts;
  before(async () => {
    accounts = TemporaryAccounts.create(randomBytes(3).toString('hex'));
    daemon = await AccessDaemon.prepare('berth-access-socket-');
    await daemon.start(['--group', accounts.group, '--socket-role', 'viewer']);
  });
  after(async () => {
    await (daemon as AccessDaemon | undefined)?.stop();
    (accounts as TemporaryAccounts | undefined)?.remove();
  });

  test('the socket belongs to root and the group, mode 0660', async () => {
    const info = await stat(daemon.socketPath);
    assert.equal(info.mode & 0o777, 0o660);
    assert.equal(info.uid, 0);
    const gid = Number(spawnSync('getent', ['group', accounts.group], { encoding: 'utf8' }).stdout.split(':')[2]);
    assert.equal(info.gid, gid);
  });

  test('a user outside the group cannot connect', () => {
    assert.equal(accounts.requestAs(accounts.outside, daemon.socketPath, 'GET', '/_ping').status, 'EACCES');
  });

  test('a user in the group connects and gets the socket role, named by uid in refusals', () => {
    assert.equal(accounts.requestAs(accounts.inside, daemon.socketPath, 'GET', '/containers/json').status, '200');
    const uid = Number(spawnSync('id', ['-u', accounts.inside], { encoding: 'utf8' }).stdout.trim());
    const refused = accounts.requestAs(accounts.inside, daemon.socketPath, 'POST', '/volumes/create', { Name: 'v' });
    assert.equal(refused.status, '403');
    assert.deepEqual(JSON.parse(refused.body), { message: `permission denied: POST /volumes/create requires 'volumes.create' (uid ${uid} has role viewer)` });
  });
});

describe('the API socket without its group', { skip: needsRootOrTools() }, () => {
  test('stays root\'s (group root) and says why in the log', async (t) => {
    const daemon = await AccessDaemon.prepare('berth-access-nogroup-');
    t.after(() => daemon.stop());
    const missing = `bta-none-${randomBytes(3).toString('hex')}`;
    await daemon.start(['--group', missing]);
    const info = await stat(daemon.socketPath);
    assert.deepEqual([info.mode & 0o777, info.uid, info.gid], [0o660, 0, 0]);
    assert.match(daemon.log.join(''), new RegExp(`group ${missing} does not exist: the socket stays root's only`));
  });
});
