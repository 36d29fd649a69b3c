import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss3BaseScore, ratingOf, roundUp } from './cvss.js';

test('CVSS 3.1 base scores of published vectors', () => {
  const cases: [string, number][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0], // CVE-2021-44228
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5], // CVE-2014-0160
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
  ];
  for (const [vector, want] of cases) assert.equal(cvss3BaseScore(vector), want, vector);
});

test('invalid vectors give undefined', () => {
  for (const v of ['', 'CVSS:2.0/AV:N', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']) {
    assert.equal(cvss3BaseScore(v), undefined, v);
  }
});

test('Roundup and ratings (spec appendix A)', () => {
  assert.equal(roundUp(4.000_000_2), 4.0);
  assert.equal(roundUp(4.02), 4.1);
  assert.equal(ratingOf(9.0), 'CRITICAL');
  assert.equal(ratingOf(8.9), 'HIGH');
  assert.equal(ratingOf(4.0), 'MEDIUM');
  assert.equal(ratingOf(3.9), 'LOW');
});
