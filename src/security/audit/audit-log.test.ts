import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from './audit-log.js';
import { verifyAuditTrail } from './audit-verify.js';
import { queryAuditTrail } from './audit-query.js';
import { summarizeBody } from './body-summary.js';
import type { AuditEntry } from './audit-record.js';

const who = { kind: 'socket', name: 'uid 0', role: 'admin', source: 'unix socket (pid 1)', uid: 0 };
const request = (id: string, object?: string): AuditEntry => ({
  type: 'request', id, who, method: 'POST', route: '/containers/:id/start', path: `/containers/${object ?? 'x'}/start`,
  ...(object === undefined ? {} : { object }), body: { Env: ['A=<redacted>'], '2': 'integer-like keys come first' },
});

async function trail(t: { after: (fn: () => Promise<void>) => void }, count: number, maxFileBytes?: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-audit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  let tick = 0;
  const log = await AuditLog.open(dir, { clock: { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) }, ...(maxFileBytes === undefined ? {} : { maxFileBytes }) });
  for (let i = 1; i <= count; i++) {
    await log.append(request(`r${i}`, `c${i}`));
    await log.append({ type: 'outcome', id: `r${i}`, status: 204 });
  }
  await log.close();
  return dir;
}

async function editLines(dir: string, edit: (lines: string[]) => string[]): Promise<void> {
  const file = join(dir, 'audit-000001.jsonl');
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  await writeFile(file, `${edit(lines).join('\n')}\n`);
}

describe('the audit trail', () => {
  it('chains records, resumes after a restart, rotates with the last hash, and verifies', async (t) => {
    const dir = await trail(t, 6, 1500);
    const reopened = await AuditLog.open(dir, { clock: { now: () => new Date('2026-01-02T00:00:00Z') }, maxFileBytes: 1500 });
    const record = await reopened.append(request('r7', 'c7'));
    await reopened.close();
    assert.equal(record.seq, 13);
    const files = (await readdir(dir)).sort();
    assert.ok(files.length > 1, files.join());
    const second = (await readFile(join(dir, files[1] ?? ''), 'utf8')).split('\n')[0] ?? '';
    const firstFile = (await readFile(join(dir, files[0] ?? ''), 'utf8')).trimEnd().split('\n');
    assert.equal((JSON.parse(second) as { prev: string }).prev, (JSON.parse(firstFile.at(-1) ?? '') as { hash: string }).hash);
    assert.deepEqual(await verifyAuditTrail(dir), { ok: true, records: 13, files: files.length });
  });

  it('writes records appended together in call order, with one fsync for each group', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-audit-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const log = await AuditLog.open(dir, { clock: { now: () => new Date('2026-01-01T00:00:00Z') }, maxFileBytes: 4000 });
    const appends = Array.from({ length: 40 }, (_, i) => (i % 2 === 0
      ? log.append(request(`r${i}`, `c${i}`))
      : log.append({ type: 'outcome', id: `r${i - 1}`, status: 204 }, { durable: false })));
    const records = await Promise.all(appends);
    assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    await log.close();
    const result = await verifyAuditTrail(dir);
    assert.equal(result.ok, true);
    assert.equal(result.records, 40);
    assert.ok(result.files > 1, 'a group that crosses the size limit still rotates');
  });

  it('names an altered record', async (t) => {
    const dir = await trail(t, 3);
    await editLines(dir, (lines) => lines.map((line, i) => (i === 2 ? line.replace('"c2"', '"c9"') : line)));
    const result = await verifyAuditTrail(dir);
    assert.equal(result.ok, false);
    assert.equal(result.problem?.message, 'audit-000001.jsonl line 3: record 3 was altered (its hash does not match its content)');
  });

  it('names a removed record', async (t) => {
    const dir = await trail(t, 3);
    await editLines(dir, (lines) => lines.filter((_line, i) => i !== 3));
    assert.equal((await verifyAuditTrail(dir)).problem?.message, 'audit-000001.jsonl line 4: record 4 was removed (record 5 follows record 3)');
  });

  it('names reordered records', async (t) => {
    const dir = await trail(t, 3);
    await editLines(dir, (lines) => [lines[0] ?? '', lines[2] ?? '', lines[1] ?? '', ...lines.slice(3)]);
    assert.equal((await verifyAuditTrail(dir)).problem?.message, 'audit-000001.jsonl line 2: record 2 is out of order (record 3 comes before it)');
  });

  it('lists requests with their outcomes, filtered', async (t) => {
    const dir = await trail(t, 3);
    const all = await queryAuditTrail(dir, {});
    assert.deepEqual(all.map((e) => [e.request.object, e.outcome?.status]), [['c1', 204], ['c2', 204], ['c3', 204]]);
    assert.deepEqual((await queryAuditTrail(dir, { object: 'c2' })).map((e) => e.request.id), ['r2']);
    assert.equal((await queryAuditTrail(dir, { user: 'nobody' })).length, 0);
    assert.equal((await queryAuditTrail(dir, { since: new Date(Date.UTC(2026, 0, 1, 0, 0, 4)) })).length, 1);
  });
});

describe('summarizeBody', () => {
  it('redacts secrets and environment values, cuts long values, keeps the rest', () => {
    assert.deepEqual(summarizeBody({
      Image: 'busybox', Env: ['PATH=/bin', 'DB_PASSWORD=hunter2'], HostConfig: { Privileged: true, Memory: 10n ** 20n },
      Password: 'x', AuthConfig: { username: 'u' }, Labels: { token: 'abc', team: 'a' }, Cmd: ['x'.repeat(300)],
    }), {
      Image: 'busybox', Env: ['PATH=<redacted>', 'DB_PASSWORD=<redacted>'], HostConfig: { Privileged: true, Memory: '100000000000000000000' },
      Password: '<redacted>', AuthConfig: '<redacted>', Labels: { token: '<redacted>', team: 'a' }, Cmd: [`${'x'.repeat(256)}…(300 chars)`],
    });
  });
});
