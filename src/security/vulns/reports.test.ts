import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { isBerthError } from '../../base/errors.js';
import { downloadOsvArchives } from './db-update.js';
import { severityOf } from './severity.js';

test('severity: affected vector, then record vector, then database_specific words', () => {
  const base = { id: 'X', modified: '2024-01-01T00:00:00Z' };
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }, {}), { severity: 'CRITICAL', score: 9.8 });
  assert.deepEqual(severityOf({ ...base, database_specific: { severity: 'MODERATE' } }, {}), { severity: 'MEDIUM' });
  assert.deepEqual(severityOf(base, { ecosystem_specific: { severity: 'LOW' } }), { severity: 'LOW' });
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }] }, {}), { severity: 'UNKNOWN' });
});

test('db update without a network is a clear unavailable error', async () => {
  const offline = (): Promise<Response> => Promise.reject(new TypeError('fetch failed'));
  await assert.rejects(downloadOsvArchives(['npm'], tmpdir(), { fetch: offline }), (e: unknown) => {
    assert.ok(isBerthError(e, 'unavailable'));
    assert.equal(e.reason, 'osv-unreachable');
    assert.match(e.message, /berth scan db import/);
    return true;
  });
});
