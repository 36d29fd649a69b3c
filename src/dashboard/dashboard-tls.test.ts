import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { certificateNames, checkDashboardTls, hostsServedWith, urlHostWith } from './dashboard-tls.js';
import { selfSignedCertificate } from './dashboard-tls.test-support.js';

const reasonOf = (err: unknown): string => (isBerthError(err) ? err.reason : String(err));

test('a certificate and its own key make a pair; anything else is refused naming which', async () => {
  const one = await selfSignedCertificate({ dns: ['dash.test'] });
  const other = await selfSignedCertificate({ dns: ['dash.test'] });
  assert.equal(checkDashboardTls(one).subjectAltName, 'DNS:dash.test');
  const names = { cert: '--cert c.pem', key: '--key k.pem' };
  assert.throws(() => checkDashboardTls({ cert: one.cert, key: other.key }, names), (err: unknown) => reasonOf(err) === 'dashboard-tls-key-mismatch' && (err as Error).message.startsWith('--key k.pem:'));
  assert.throws(() => checkDashboardTls({ cert: one.key, key: one.key }, names), (err: unknown) => reasonOf(err) === 'invalid-dashboard-tls-cert' && (err as Error).message.startsWith('--cert c.pem:'));
  assert.throws(() => checkDashboardTls({ cert: one.cert, key: one.cert }, names), (err: unknown) => reasonOf(err) === 'invalid-dashboard-tls-key' && (err as Error).message.startsWith('--key k.pem:'));
  assert.throws(() => checkDashboardTls({ cert: '', key: '' }), (err: unknown) => reasonOf(err) === 'invalid-dashboard-tls-cert');
});

test('the subjectAltName\'s DNS names and IP addresses, canonical', async () => {
  const pair = await selfSignedCertificate({ dns: ['Dash.Test', '*.wild.test'], ips: ['127.0.0.1', '0:0:0:0:0:0:0:1', 'fd00:0:0:0:0:0:0:7'] });
  assert.deepEqual(certificateNames(checkDashboardTls(pair)), { dns: ['dash.test', '*.wild.test'], ips: ['127.0.0.1', '::1', 'fd00::7'] });
});

test('the Host names a certificate serves: its names, wildcards as a browser matches them, its addresses, the bound address', async () => {
  const pair = await selfSignedCertificate({ dns: ['dash.test', '*.wild.test'], ips: ['192.0.2.10', 'fd00::7'] });
  const cert = checkDashboardTls(pair);
  const onLan = hostsServedWith('192.0.2.99', cert);
  for (const host of ['dash.test', 'DASH.test', 'a.wild.test', '192.0.2.10', 'fd00::7', 'fd00:0:0:0:0:0:0:7', '192.0.2.99']) assert.equal(onLan(host), true, host);
  for (const host of ['evil.example', 'dash.test.evil.example', 'a.b.wild.test', 'wild.test', '192.0.2.11', 'fd00::8', '0.0.0.0', '', 'dash.test.']) assert.equal(onLan(host), false, host);
  const everywhere = hostsServedWith('0.0.0.0', cert);
  assert.equal(everywhere('0.0.0.0'), false, 'a wildcard bind names no host');
  assert.equal(everywhere('dash.test'), true);
  assert.equal(hostsServedWith('::', cert)('::'), false);
  assert.equal(hostsServedWith('Dash.Lan', cert)('dash.lan'), true, 'a bound name is compared without case');
});

test('the URL given out names a host the certificate is valid for', async () => {
  const named = checkDashboardTls(await selfSignedCertificate({ dns: ['*.wild.test', 'dash.test'], ips: ['192.0.2.10'] }));
  assert.equal(urlHostWith('192.0.2.10', named), '192.0.2.10', 'the bound address when the certificate has it');
  assert.equal(urlHostWith('0.0.0.0', named), 'dash.test', 'else its first DNS name that is not a wildcard');
  assert.equal(urlHostWith('192.0.2.99', named), 'dash.test');
  const addressed = checkDashboardTls(await selfSignedCertificate({ ips: ['fd00::7'] }));
  assert.equal(urlHostWith('::', addressed), 'fd00::7', 'else its first address');
  const nameless = checkDashboardTls(await selfSignedCertificate({}));
  assert.equal(urlHostWith('192.0.2.99', nameless), '192.0.2.99');
  assert.equal(urlHostWith('0.0.0.0', nameless), 'localhost');
});
