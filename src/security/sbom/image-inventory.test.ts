import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeLayers } from './image-inventory.js';
import type { FoundPackage, LayerInventory } from './package-types.js';

const deb = (name: string, version: string): FoundPackage => ({ ecosystem: 'deb', name, version, arch: 'amd64', licenses: [], locations: ['var/lib/dpkg/status'] });
const layer = (diffId: string, extra: Partial<LayerInventory>): LayerInventory => ({ diffId, sources: [], copyrights: [], whiteouts: [], opaqueDirs: [], warnings: [], ...extra });

test('merge: packages keep the layer that brought them; an upper status file replaces the lower one', () => {
  const base = layer('sha256:base', {
    sources: [{ path: 'var/lib/dpkg/status', packages: [deb('bash', '5.2.15-2+b2'), deb('curl', '7.88.1-10')] }],
    osRelease: { path: 'usr/lib/os-release', value: { id: 'debian', versionId: '12' } },
    copyrights: [{ path: 'usr/share/doc/bash/copyright', pkg: 'bash', licenses: ['GPL-3+'] }],
  });
  const upgrade = layer('sha256:up', { sources: [{ path: 'var/lib/dpkg/status', packages: [deb('bash', '5.2.15-2+b2'), deb('curl', '7.88.1-10+deb12u5'), deb('jq', '1.6-2.1')] }] });
  const inv = mergeLayers('img', [base, upgrade]);
  assert.deepEqual(inv.packages.map((p) => [p.name, p.version, p.layer?.index]), [['bash', '5.2.15-2+b2', 0], ['curl', '7.88.1-10+deb12u5', 1], ['jq', '1.6-2.1', 1]]);
  assert.equal(inv.packages[0]?.purl, 'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12');
  assert.deepEqual(inv.packages[0].licenses, ['GPL-3.0-or-later']);
});

test('merge: whiteouts and opaque directories hide lower layers', () => {
  const npm: FoundPackage = { ecosystem: 'npm', name: 'lodash', version: '4.17.20', licenses: [], locations: ['app/package-lock.json'] };
  const base = layer('sha256:a', { sources: [{ path: 'var/lib/dpkg/status', packages: [deb('bash', '5')] }, { path: 'app/package-lock.json', packages: [npm] }] });
  assert.equal(mergeLayers('x', [base, layer('sha256:b', { whiteouts: ['var/lib/dpkg/status'] })]).packages.length, 1);
  assert.equal(mergeLayers('x', [base, layer('sha256:b', { opaqueDirs: ['app'] })]).packages[0]?.name, 'bash');
  assert.equal(mergeLayers('x', [base, layer('sha256:b', { whiteouts: ['var'] })]).packages[0]?.name, 'lodash');
  // a plain directory: no layer attribution
  assert.equal(mergeLayers('dir', [base], false).packages[0]?.layer, undefined);
});
