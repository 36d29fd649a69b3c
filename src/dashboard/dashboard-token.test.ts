import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { DashboardToken, dashboardTokenPath, openDashboardToken } from './dashboard-token.js';

const SECRET = 'a'.repeat(20) + 'B'.repeat(20);

test('a token matches only itself', () => {
  const token = new DashboardToken(SECRET);
  assert.equal(token.matches(SECRET), true);
  assert.equal(token.matches(`${SECRET}x`), false);
  assert.equal(token.matches(SECRET.slice(1)), false);
  assert.equal(token.matches(''), false);
  assert.equal(token.matches(undefined), false);
});

test('short tokens and tokens a URL would have to escape are refused', () => {
  for (const weak of ['short', 'x'.repeat(31), `${'x'.repeat(40)}&y=1`, `${'x'.repeat(40)} `]) {
    assert.throws(() => new DashboardToken(weak), (err: unknown) => isBerthError(err) && err.reason === 'weak-dashboard-token', weak);
  }
});

test('the state root keeps its token across starts, in a file only root reads', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'dashboard-token-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  let made = 0;
  const random = (): string => { made++; return SECRET; };
  const first = await openDashboardToken(root, { random });
  const second = await openDashboardToken(root, { random: () => 'c'.repeat(40) });
  assert.equal(made, 1);
  assert.equal(second.value, first.value);
  assert.equal(((await stat(dashboardTokenPath(root))).mode & 0o777).toString(8), '600');
  assert.equal((await readFile(dashboardTokenPath(root), 'utf8')).trim(), SECRET);
});

test('a hand-written token file that is too weak stops the start', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'dashboard-token-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'dashboard'));
  await writeFile(dashboardTokenPath(root), 'password\n');
  await assert.rejects(openDashboardToken(root), (err: unknown) => isBerthError(err) && err.reason === 'weak-dashboard-token');
});
