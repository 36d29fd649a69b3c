import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { selfSignedCertificate } from '../dashboard/dashboard-tls.test-support.js';
import { dashboardTlsOption, readDashboardFlags } from './dashboard-flags.js';

/** An assert.rejects check: invalid-argument with `reason`, its message matching `message`. */
const refused = (reason: string, message: RegExp) => (err: unknown): boolean =>
  isBerthError(err) && err.kind === 'invalid-argument' && err.reason === reason && message.test(err.message);

test('the dashboard\'s flags: a certificate with its key, checked before anything opens, each failure naming its flag', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-flags-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pair = await selfSignedCertificate({ dns: ['dash.test'], ips: ['127.0.0.1'] });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const otherKey = join(dir, 'other-key.pem');
  await writeFile(cert, pair.cert);
  await writeFile(key, pair.key);
  await writeFile(otherKey, (await selfSignedCertificate({ dns: ['dash.test'] })).key);

  assert.equal(await dashboardTlsOption(undefined, undefined), undefined);
  assert.deepEqual(await dashboardTlsOption(cert, key), { cert: pair.cert, key: pair.key }, 'the PEM texts');
  await assert.rejects(dashboardTlsOption(cert, undefined), refused('missing-flag', /^--dashboard-tls-cert needs --dashboard-tls-key/));
  await assert.rejects(dashboardTlsOption(undefined, key), refused('missing-flag', /^--dashboard-tls-key needs --dashboard-tls-cert/));
  await assert.rejects(dashboardTlsOption(join(dir, 'missing.pem'), key), refused('invalid-flag', /^--dashboard-tls-cert .*missing\.pem: .*ENOENT/));
  await assert.rejects(dashboardTlsOption(cert, dir), refused('invalid-flag', /^--dashboard-tls-key .*: .*EISDIR/));
  await assert.rejects(dashboardTlsOption(key, key), refused('invalid-dashboard-tls-cert', /^--dashboard-tls-cert .*key\.pem: not a PEM certificate/));
  await assert.rejects(dashboardTlsOption(cert, cert), refused('invalid-dashboard-tls-key', /^--dashboard-tls-key .*cert\.pem: not a PEM private key/));
  await assert.rejects(dashboardTlsOption(cert, otherKey), refused('dashboard-tls-key-mismatch', /^--dashboard-tls-key .*other-key\.pem: not the private key of the certificate --dashboard-tls-cert/));

  assert.equal(await readDashboardFlags({}), undefined, 'no dashboard unless asked for');
  assert.deepEqual(await readDashboardFlags({ dashboardAddr: '127.0.0.1:9330' }), { addr: '127.0.0.1:9330' });
  assert.deepEqual(await readDashboardFlags({ dashboardAddr: '0.0.0.0:9330', dashboardTlsCert: cert, dashboardTlsKey: key }), { addr: '0.0.0.0:9330', tls: pair });
  await assert.rejects(readDashboardFlags({ dashboardAddr: '0.0.0.0:9330' }), refused('dashboard-not-loopback', /--dashboard-tls-cert and --dashboard-tls-key .* SSH tunnel/));
  await assert.rejects(readDashboardFlags({ dashboardAddr: '0.0.0.0:9330', dashboardTlsCert: cert }), refused('missing-flag', /--dashboard-tls-key/), 'the missing key, not the address, is what to fix');
  await assert.rejects(readDashboardFlags({ dashboardTlsCert: cert, dashboardTlsKey: key }), refused('missing-flag', /need --dashboard-addr/));
  await assert.rejects(readDashboardFlags({ dashboardAddr: '0.0.0.0', dashboardTlsCert: cert, dashboardTlsKey: key }), refused('invalid-dashboard-addr', /--dashboard-addr/));
});
