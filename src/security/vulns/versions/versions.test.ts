import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareApkVersions } from './apk-version.js';
import { compareDpkgVersions } from './dpkg-version.js';
import { comparatorFor, type VersionComparator } from './ecosystem-versions.js';
import { compareMavenVersions } from './maven-version.js';
import { comparePep440 } from './pep440-version.js';
import { compareRpmVersions, rpmVerCmp } from './rpm-version.js';
import { compareGoVersions, compareSemver } from './semver-version.js';

type Vector = [string, '<' | '=' | '>', string];

function check(name: string, compare: VersionComparator, vectors: Vector[]): void {
  test(`${name}: ${vectors.length} comparison vectors`, () => {
    for (const [a, op, b] of vectors) {
      const want = op === '<' ? -1 : op === '=' ? 0 : 1;
      assert.equal(Math.sign(compare(a, b)), want, `${a} ${op} ${b}`);
      assert.equal(Math.sign(compare(b, a)), want === 0 ? 0 : -want, `${b} reversed ${a}`);
    }
  });
}

/** Each list is in ascending order: every element sorts before the next. */
function checkOrder(name: string, compare: VersionComparator, ascending: string[]): void {
  test(`${name}: ${ascending.length} versions in published order`, () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = i + 1; j < ascending.length; j++) {
        assert.ok(compare(ascending[i]!, ascending[j]!) < 0, `${ascending[i]} < ${ascending[j]}`);
        assert.ok(compare(ascending[j]!, ascending[i]!) > 0, `${ascending[j]} > ${ascending[i]}`);
      }
    }
  });
}

// dpkg: cases of dpkg's own version tests and deb-version(7).
check('dpkg', compareDpkgVersions, [
  ['1.0', '=', '1.0'], ['0:1.0', '=', '1.0'], ['1.0-0', '=', '1.0'], ['0:1.0-0', '=', '1.0'],
  ['1.0', '<', '1.0-1'], ['1.0-1', '<', '1.0-2'], ['1.0-10', '>', '1.0-9'],
  ['1:0.1', '>', '2.0'], ['2:1.0', '>', '1:9.9'], ['1.0', '<', '1:1.0'],
  ['1.0~rc1', '<', '1.0'], ['1.0~rc1', '<', '1.0~rc2'], ['1.0~rc1-1', '<', '1.0-1'],
  ['1.0a', '<', '1.0.1'], ['1.0a', '>', '1.0'], ['1.0+dfsg-1', '>', '1.0-1'],
  ['1.2.3', '<', '1.2.10'], ['001.002', '=', '1.2'], ['2.30.2-1', '>', '2.30.1-1'],
  ['3.0.11-1~deb12u2', '<', '3.0.11-1'], ['3.0.11-1~deb12u2', '>', '3.0.11-1~deb12u1'],
  ['1.0-1+b1', '>', '1.0-1'], ['7.88.1-10+deb12u5', '<', '7.88.1-10+deb12u12'],
  ['a', '<', 'b'], ['1.0-a', '<', '1.0-b'], ['1:1.2.13.dfsg-1', '>', '1:1.2.11.dfsg-2'],
]);
checkOrder('dpkg (deb-version tilde example)', compareDpkgVersions, ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a']);

// rpmvercmp: the cases of rpm's own rpmvercmp test suite.
check('rpmvercmp', rpmVerCmp, [
  ['1.0', '=', '1.0'], ['1.0', '<', '2.0'], ['2.0.1', '>', '2.0'], ['2.0.1a', '>', '2.0.1'],
  ['5.5p1', '=', '5.5p1'], ['5.5p1', '<', '5.5p2'], ['5.5p10', '>', '5.5p1'],
  ['10xyz', '<', '10.1xyz'], ['xyz10', '<', 'xyz10.1'], ['xyz.4', '<', '8'], ['xyz.4', '<', '2'],
  ['5.5p2', '<', '5.6p1'], ['5.6p1', '<', '6.5p1'], ['6.0.rc1', '>', '6.0'], ['10b2', '>', '10a1'],
  ['1.0aa', '=', '1.0aa'], ['1.0a', '<', '1.0aa'], ['10.0001', '=', '10.1'],
  ['10.0001', '<', '10.0039'], ['4.999.9', '<', '5.0'], ['20101121', '>', '20101120'],
  ['1.0~rc1', '<', '1.0'], ['1.0~rc1', '<', '1.0~rc2'], ['1.0~rc1~git123', '<', '1.0~rc1'],
  ['1.0^', '>', '1.0'], ['1.0^git1', '>', '1.0'], ['1.0^git1', '<', '1.01'], ['1.0^20160101', '<', '1.0.1'],
  ['1.0^20160101^git1', '>', '1.0^20160101'], ['1.0~rc1^git1', '>', '1.0~rc1'], ['1.0^git1~pre', '<', '1.0^git1'],
  ['2_0', '=', '2_0'], ['2.0', '=', '2_0'], ['a', '=', 'a'], ['a+', '=', 'a+'], ['a+', '=', 'a_'], ['+a', '=', '_a'],
  ['1.0', '>', '1.0~rc1^git1'], ['1.0^git1', '<', '1.0.1'],
]);
check('rpm evr', compareRpmVersions, [
  ['1:1.0-1', '>', '2.0-1'], ['1.0-1', '<', '1.0-2'], ['3.0.7-25.el9', '<', '3.0.7-27.el9'], ['1.0', '=', '1.0-5'],
]);

// apk: Alpine's version rules.
check('apk', compareApkVersions, [
  ['1.0', '=', '1.0'], ['1.0-r0', '=', '1.0'], ['1.0-r1', '<', '1.0-r2'], ['1.10', '>', '1.9'],
  ['1.2', '<', '1.2.1'], ['1.2a', '>', '1.2'], ['1.2a', '<', '1.2b'], ['1.2_p1', '>', '1.2'],
  ['3.1.4-r5', '<', '3.1.4-r6'], ['3.1.4-r6', '<', '3.1.5-r0'], ['1.0_rc1', '<', '1.0_rc2'], ['1.01', '<', '1.1'],
]);
checkOrder('apk suffixes', compareApkVersions, ['1.0_alpha', '1.0_beta', '1.0_pre', '1.0_rc', '1.0', '1.0_cvs', '1.0_svn', '1.0_git', '1.0_hg', '1.0_p', '1.0_p2']);

// semver.org §11 precedence examples.
checkOrder('semver (semver.org §11)', compareSemver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '2.1.0', '2.1.1']);
check('semver', compareSemver, [
  ['1.0.0+build.1', '=', '1.0.0+build.2'], ['1.0.0-alpha+001', '=', '1.0.0-alpha'], ['v1.2.3', '=', '1.2.3'],
  ['1.2.3', '<', '1.10.0'], ['4.17.20', '<', '4.17.21'], ['0.0.0', '<', '0.0.1-0'],
]);

// Go modules: pseudo-versions and +incompatible.
check('go', compareGoVersions, [
  ['v1.2.3', '<', 'v1.10.0'], ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0-20200101000000-aaaaaaaaaaaa'],
  ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.1.0'], ['v1.2.4-0.20191109021931-daa7c04131f5', '>', 'v1.2.3'],
  ['v1.2.4-0.20191109021931-daa7c04131f5', '<', 'v1.2.4'], ['v2.0.0+incompatible', '=', 'v2.0.0'], ['v1.21.0', '>', 'v1.20.14'],
]);

// PEP 440: the spec's example ordering ("summary of permitted suffixes and relative ordering").
checkOrder('pep440 (spec ordering example)', comparePep440, [
  '1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456',
  '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1',
]);
check('pep440', comparePep440, [
  ['1.0', '=', '1.0.0'], ['1.0alpha1', '=', '1.0a1'], ['1.0-1', '=', '1.0.post1'], ['1.0c1', '=', '1.0rc1'],
  ['1!0.1', '>', '2.0'], ['2.0', '>', '2.0rc9'], ['v2.31.0', '=', '2.31.0'],
]);

// Maven: ComparableVersion's documented rules.
checkOrder('maven qualifiers', compareMavenVersions, ['1-alpha', '1-beta', '1-milestone', '1-rc', '1-snapshot', '1', '1-sp']);
check('maven', compareMavenVersions, [
  ['1', '=', '1.0'], ['1', '=', '1.0.0'], ['1', '=', '1-0'], ['1.0-ga', '=', '1'], ['1-final', '=', '1'], ['1-release', '=', '1'],
  ['1.0-alpha1', '=', '1.0-a1'], ['1.0-rc1', '=', '1.0-cr1'], ['1.0-SNAPSHOT', '<', '1.0'], ['1', '<', '1.1'],
  ['2.0.1-xyz', '>', '2.0.1'], ['2.0.1-xyz', '<', '2.0.2'], ['1.0.0', '<', '1.0.1'], ['2.14.1', '<', '2.17.0'],
  ['1-alpha2', '<', '1-alpha10'], ['1-1', '>', '1'], ['1.10', '>', '1.9'], ['2.15.0-rc1', '<', '2.15.0'],
]);

test('comparatorFor maps OSV ecosystems with releases', () => {
  assert.equal(comparatorFor('Debian:12'), compareDpkgVersions);
  assert.equal(comparatorFor('Alpine:v3.19'), compareApkVersions);
  assert.equal(comparatorFor('PyPI'), comparePep440);
  assert.equal(comparatorFor('crates.io'), undefined);
});
