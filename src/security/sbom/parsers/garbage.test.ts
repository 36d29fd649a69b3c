import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseApkInstalled } from './apk-installed.js';
import { parseDebianCopyright } from './dpkg-copyright.js';
import { parseDpkgStatus } from './dpkg-status.js';
import { goPackages } from './go-buildinfo.js';
import { parseNodePackageJson, parsePackageLock } from './npm-manifests.js';
import { parseOsRelease } from './os-release.js';
import { parsePythonMetadata } from './python-metadata.js';
import { rpmPackage } from './rpm-header.js';

test('parsers never throw on garbage (package files are untrusted)', () => {
  const samples = [
    '', '\n\n\n', 'Package:\nVersion:\n', ':::', '{"packages": {"node_modules/x": {"version": {}}}}', '{"lockfileVersion": 3, "packages": []}', 'null', '[1,2]',
    `P:${'x'.repeat(10_000)}\nV:1\n`, 'Format: x\n\nLicense:\n', '\xff Go buildinf:\x08\x02',
    ...Array.from({ length: 50 }, () => randomBytes(512).toString('latin1')),
  ];
  for (const text of samples) {
    const warnings: string[] = [];
    parseDpkgStatus(text, 'p', warnings);
    parseApkInstalled(text, 'p', warnings);
    parsePackageLock(text, 'p', warnings);
    parseNodePackageJson(text, 'p', warnings);
    parsePythonMetadata(text, 'p', warnings);
    parseDebianCopyright(text);
    parseOsRelease(text);
    goPackages(Buffer.from(text, 'latin1'), 'p');
  }
  // A Go header that claims more bytes than there are.
  const header = Buffer.concat([Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.from([8, 2]), Buffer.alloc(16), Buffer.from([0xff, 0xff, 0x7f])]);
  assert.deepEqual(goPackages(header, 'x'), []);
  // RPM headers throw, and the walker turns that into a warning.
  for (let i = 0; i < 50; i++) assert.throws(() => rpmPackage(Buffer.concat([Buffer.from([0, 0, 0, 200, 0, 0, 0, 200]), randomBytes(64)]), 'x'));
});
