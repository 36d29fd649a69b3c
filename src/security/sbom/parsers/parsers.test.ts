import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApkInstalled } from './apk-installed.js';
import { parseDebianCopyright } from './dpkg-copyright.js';
import { parseDpkgStatus } from './dpkg-status.js';
import { goPackages } from './go-buildinfo.js';
import { parseNodePackageJson, parsePackageLock } from './npm-manifests.js';
import { parseOsRelease } from './os-release.js';
import { parsePythonMetadata } from './python-metadata.js';
import { buildRpmHeader, RPM_TAGS, rpmPackage } from './rpm-header.js';

test('dpkg status: installed entries with Source, others skipped, malformed ones warned about', () => {
  const warnings: string[] = [];
  const text = [
    'Package: libc6', 'Status: install ok installed', 'Architecture: amd64', 'Source: glibc', 'Version: 2.36-9+deb12u4', 'Description: GNU C Library', ' more text', '',
    'Package: libssl3', 'Status: install ok installed', 'Architecture: amd64', 'Source: openssl (3.0.11-1~deb12u2)', 'Version: 3.0.11-1~deb12u2+b1', '',
    'Package: removed', 'Status: deinstall ok config-files', 'Version: 1.0', '',
    'Package: Bad Name', 'Status: install ok installed', 'Version: 1', '',
  ].join('\n');
  const pkgs = parseDpkgStatus(text, 'var/lib/dpkg/status', warnings);
  assert.deepEqual(pkgs.map((p) => [p.name, p.version, p.arch, p.source]), [
    ['libc6', '2.36-9+deb12u4', 'amd64', { name: 'glibc', version: '2.36-9+deb12u4' }],
    ['libssl3', '3.0.11-1~deb12u2+b1', 'amd64', { name: 'openssl', version: '3.0.11-1~deb12u2' }],
  ]);
  assert.equal(warnings.length, 1);
});

test('DEP-5 copyright: License short names; free-text files give none', () => {
  const dep5 = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: x\n\nFiles: *\nCopyright: 2020 A\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: LGPL-2.1+ or MIT\n\nLicense: GPL-2+\n Full text here.\n';
  assert.deepEqual(parseDebianCopyright(dep5), ['GPL-2+', 'LGPL-2.1+', 'MIT']);
  assert.deepEqual(parseDebianCopyright('This is free software, see /usr/share/common-licenses/GPL.\n'), []);
});

test('apk installed database', () => {
  const warnings: string[] = [];
  const text = 'C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n\nV:1.0\n';
  const pkgs = parseApkInstalled(text, 'lib/apk/db/installed', warnings);
  assert.deepEqual(pkgs.map((p) => [p.name, p.version, p.source?.name, p.licenses]), [['musl', '1.2.4-r2', 'musl', ['MIT']], ['libcrypto3', '3.1.4-r5', 'openssl', ['Apache-2.0']]]);
  assert.equal(warnings.length, 1);
});

test('npm: lockfile v3 and v1, package.json, malformed input warns', () => {
  const warnings: string[] = [];
  const v3 = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app', version: '1.0.0' }, 'node_modules/lodash': { version: '4.17.20', license: 'MIT' }, 'node_modules/a/node_modules/@types/node': { version: '20.1.0' }, 'node_modules/linked': { link: true } } });
  assert.deepEqual(parsePackageLock(v3, 'app/package-lock.json', warnings).map((p) => `${p.name}@${p.version}`), ['lodash@4.17.20', '@types/node@20.1.0']);
  const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { minimist: { version: '1.2.5', dependencies: { x: { version: '0.1.0' } } } } });
  assert.deepEqual(parsePackageLock(v1, 'package-lock.json', warnings).map((p) => `${p.name}@${p.version}`), ['minimist@1.2.5', 'x@0.1.0']);
  assert.deepEqual(parseNodePackageJson('{"name":"express","version":"4.17.1","license":"MIT"}', 'n/package.json', warnings)[0]?.licenses, ['MIT']);
  assert.equal(warnings.length, 0);
  assert.deepEqual(parsePackageLock('{not json', 'bad/package-lock.json', warnings), []);
  assert.deepEqual(parseNodePackageJson('{"name": 5}', 'bad/package.json', warnings), []);
  assert.equal(warnings.length, 2);
  assert.match(warnings[1] ?? '', /name/);
});

test('Python METADATA', () => {
  const warnings: string[] = [];
  const text = 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\nClassifier: License :: OSI Approved :: Apache Software License\n\nbody';
  assert.deepEqual(parsePythonMetadata(text, 'x.dist-info/METADATA', warnings).map((p) => [p.name, p.version, p.licenses]), [['requests', '2.31.0', ['Apache 2.0']]]);
  assert.deepEqual(parsePythonMetadata('Metadata-Version: 2.1\n', 'y/METADATA', warnings), []);
  assert.equal(warnings.length, 1);
});

test('os-release', () => {
  assert.deepEqual(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'), { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  assert.equal(parseOsRelease('garbage'), undefined);
});

test('RPM header blobs: fields read, broken blobs throw', () => {
  const blob = buildRpmHeader([[RPM_TAGS.name, 'openssl-libs'], [RPM_TAGS.version, '3.0.7'], [RPM_TAGS.release, '25.el9'], [RPM_TAGS.epoch, 1], [RPM_TAGS.arch, 'x86_64'], [RPM_TAGS.license, 'Apache-2.0'], [RPM_TAGS.sourcerpm, 'openssl-3.0.7-25.el9.src.rpm']]);
  const pkg = rpmPackage(blob, 'var/lib/rpm/rpmdb.sqlite');
  assert.deepEqual([pkg?.name, pkg?.version, pkg?.epoch, pkg?.arch, pkg?.source], ['openssl-libs', '3.0.7-25.el9', 1, 'x86_64', { name: 'openssl', version: '3.0.7-25.el9' }]);
  assert.throws(() => rpmPackage(blob.subarray(0, 20), 'x'), /out of bounds/);
  assert.throws(() => rpmPackage(Buffer.from([0, 0]), 'x'), /shorter/);
});

test('Go build info: inline (Go 1.18+) blob', () => {
  const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >> 7)]);
  const str = (s: string): Buffer => { const b = Buffer.from(s); return Buffer.concat([Buffer.from(varint(b.length)), b]); };
  const sentinel = Buffer.alloc(16, 0x30);
  const mod = `path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:abc=\ndep\tgithub.com/a/b\tv1.0.0\th1:x=\n=>\tgithub.com/fork/b\tv1.0.1\th1:y=\n`;
  const header = Buffer.concat([Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.from([8, 2]), Buffer.alloc(16)]);
  const binary = Buffer.concat([Buffer.alloc(64), header, str('go1.21.5'), str(`${sentinel.toString()}${mod}${sentinel.toString()}`), Buffer.alloc(32)]);
  assert.deepEqual(goPackages(binary, 'usr/bin/app').map((p) => `${p.name}@${p.version}`), ['stdlib@v1.21.5', 'golang.org/x/text@v0.3.7', 'github.com/fork/b@v1.0.1']);
  assert.deepEqual(goPackages(Buffer.from('no build info here'), 'x'), []);
});
