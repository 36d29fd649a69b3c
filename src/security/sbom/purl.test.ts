import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPurl } from './purl.js';
import type { FoundPackage } from './package-types.js';

const base = { licenses: [], locations: [] };

test('purls follow the purl spec for each ecosystem', () => {
  const cases: [FoundPackage, string][] = [
    [{ ...base, ecosystem: 'deb', name: 'curl', version: '7.88.1-10+deb12u5', arch: 'amd64' }, 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12'],
    [{ ...base, ecosystem: 'deb', name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', source: { name: 'glibc', version: '2.36-9+deb12u4' } }, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc'],
    [{ ...base, ecosystem: 'deb', name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64' }, 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12'],
    [{ ...base, ecosystem: 'npm', name: '@babel/core', version: '7.23.0' }, 'pkg:npm/%40babel/core@7.23.0'],
    [{ ...base, ecosystem: 'npm', name: 'lodash', version: '4.17.20' }, 'pkg:npm/lodash@4.17.20'],
    [{ ...base, ecosystem: 'pypi', name: 'Django_Rest', version: '1.11.1' }, 'pkg:pypi/django-rest@1.11.1'],
    [{ ...base, ecosystem: 'golang', name: 'github.com/gorilla/context', version: 'v1.1.1' }, 'pkg:golang/github.com/gorilla/context@v1.1.1'],
    [{ ...base, ecosystem: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1' }, 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    [{ ...base, ecosystem: 'rpm', name: 'openssl', version: '3.0.7-25.el9', arch: 'x86_64', epoch: 1 }, 'pkg:rpm/redhat/openssl@3.0.7-25.el9?arch=x86_64&distro=rhel-9.3&epoch=1'],
  ];
  for (const [pkg, want] of cases) {
    const distro = pkg.ecosystem === 'rpm' ? { id: 'rhel', versionId: '9.3' } : pkg.ecosystem === 'deb' ? { id: 'debian', versionId: '12' } : undefined;
    assert.equal(buildPurl(pkg, distro), want);
  }
  assert.equal(buildPurl({ ...base, ecosystem: 'apk', name: 'musl', version: '1.2.4-r2', arch: 'x86_64' }, { id: 'alpine', versionId: '3.19.1' }), 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1');
});
