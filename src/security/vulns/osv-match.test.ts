import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAffected, evaluateRange } from './osv-match.js';
import type { OsvRange } from './osv-schema.js';
import { compareDpkgVersions } from './versions/dpkg-version.js';
import { compareSemver } from './versions/semver-version.js';
import { comparePep440 } from './versions/pep440-version.js';

const eco = (events: OsvRange['events']): OsvRange => ({ type: 'ECOSYSTEM', events });

test('introduced "0" with a fix: below affected, at and above not', () => {
  const range = eco([{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }]);
  assert.deepEqual(evaluateRange(range, '3.0.9-1', compareDpkgVersions), { affected: true, fixed: '3.0.11-1~deb12u2' });
  assert.deepEqual(evaluateRange(range, '3.0.11-1~deb12u2', compareDpkgVersions), { affected: false });
  assert.deepEqual(evaluateRange(range, '3.0.11-1~deb12u2+b1', compareDpkgVersions), { affected: false });
  assert.deepEqual(evaluateRange(range, '3.0.11-1~deb12u1', compareDpkgVersions), { affected: true, fixed: '3.0.11-1~deb12u2' });
});

test('introduced above the version: not affected; last_affected is inclusive; no fix means no fixed version', () => {
  assert.equal(evaluateRange(eco([{ introduced: '2.0.0' }, { fixed: '2.5.0' }]), '1.9.0', compareSemver).affected, false);
  const last = eco([{ introduced: '1.0.0' }, { last_affected: '1.4.2' }]);
  assert.deepEqual(evaluateRange(last, '1.4.2', compareSemver), { affected: true });
  assert.equal(evaluateRange(last, '1.4.3', compareSemver).affected, false);
  assert.deepEqual(evaluateRange(eco([{ introduced: '0' }]), '99.0.0', compareSemver), { affected: true });
  assert.equal(evaluateRange(eco([{ introduced: '1.0.0' }, { limit: '1.2.0' }]), '1.2.0', compareSemver).affected, false);
});

test('several ranges: each interval counts; the lowest fix above the version is reported', () => {
  const range: OsvRange = { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }, { introduced: '5.0.0' }, { fixed: '5.1.2' }] };
  assert.deepEqual(evaluateRange(range, '4.17.20', compareSemver), { affected: true, fixed: '4.17.21' });
  assert.equal(evaluateRange(range, '4.17.21', compareSemver).affected, false);
  assert.deepEqual(evaluateRange(range, '5.1.0', compareSemver), { affected: true, fixed: '5.1.2' });
  assert.equal(evaluateRange(range, '5.1.2', compareSemver).affected, false);
  // two ranges in one affected entry, the second with an earlier fix line
  const entry = { ranges: [eco([{ introduced: '1.0' }, { fixed: '2.0' }]), eco([{ introduced: '1.5' }, { fixed: '1.8' }])] };
  assert.deepEqual(evaluateAffected(entry, '1.6', comparePep440), { affected: true, fixed: '1.8' });
});

test('explicit versions lists, GIT ranges ignored, PEP 440 normalization', () => {
  assert.deepEqual(evaluateAffected({ versions: ['2.0.0', '2.0.1'] }, '2.0.1', compareSemver), { affected: true });
  assert.equal(evaluateAffected({ versions: ['2.0.0'] }, '2.0.2', compareSemver).affected, false);
  assert.equal(evaluateAffected({ ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: '0' }] }] }, '1.0', compareSemver).affected, false);
  assert.equal(evaluateAffected({ versions: ['1.0'] }, '1.0.0', comparePep440).affected, true);
});
