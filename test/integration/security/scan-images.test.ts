import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { EventLog } from '../../../src/events/event-log.js';
import { ImageRescanner } from '../../../src/security/rescan/image-rescanner.js';
import { RescanMetrics } from '../../../src/security/rescan/rescan-metrics.js';
import { ScanService } from '../../../src/security/scan-service.js';
import { systemClock } from '../../../src/base/clock.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berth, needsRoot } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout, type FixtureEntry } from '../../support/oci-fixtures.js';
import { cyclonedx15Validator, sarif210Validator, spdx23Problems, DEBIAN9_OS_RELEASE, dpkgEntry, FIXTURES, hostDpkgStatus, makeZip, packageLock } from './security-fixtures.js';

const OSV = join(FIXTURES, 'osv');

/** dpkg-query's view of this host: package → version. */
function hostPackages(): Map<string, string> {
  const out = spawnSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\t${db:Status-Abbrev}\n'], { encoding: 'utf8' }).stdout;
  return new Map(out.split('\n').filter((l) => l.includes('\tii')).map((l) => l.split('\t') as [string, string]));
}

describe('SBOMs and scans of images in the store', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let images: ImageService;
  let scanner: ScanService;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-scan-'));
    root = join(work, 'root');
    const hostStatus: FixtureEntry[] = [
      { name: 'var/lib/dpkg/status', content: hostDpkgStatus() },
      { name: 'usr/lib/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
      { name: 'usr/share/doc/dpkg/copyright', content: 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+\n' },
    ];
    const base9: FixtureEntry[] = [
      { name: 'usr/lib/os-release', content: DEBIAN9_OS_RELEASE },
      { name: 'var/lib/dpkg/status', content: dpkgEntry('libssl1.0.2', '1.0.2u-1~deb9u6', 'openssl1.0') + dpkgEntry('base-files', '9.9+deb9u13') + 'Package: broken\nStatus: install ok installed\n\n' },
    ];
    const app: FixtureEntry[] = [
      { name: 'app/package-lock.json', content: packageLock({ lodash: '4.17.20', minimist: '1.2.5' }) },
      { name: 'app/bad/package-lock.json', content: '{"lockfileVersion": "three"' },
      { name: 'opt/lib/log4j-core-2.14.1.jar', content: makeZip([{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' }, { name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', data: 'groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n' }]) },
      { name: 'usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\n' },
    ];
    const layout = join(work, 'layout');
    await writeOciLayout(layout, [
      { name: 'fixture/host-debian:12', layers: [{ tar: await makeTar(hostStatus) }] },
      { name: 'fixture/app:1', layers: [{ tar: await makeTar(base9) }, { tar: await makeTar(app) }] },
      { name: 'fixture/app:2', layers: [{ tar: await makeTar(base9) }, { tar: await makeTar(app) }, { tar: await makeTar([{ name: 'app/.wh.package-lock.json' }]) }] },
      { name: 'fixture/app:3', layers: [{ tar: await makeTar(base9) }, { tar: await makeTar(app) }, { tar: await makeTar([
        { name: 'var/lib/dpkg/status', content: dpkgEntry('libssl1.0.2', '1.0.2u-1~deb9u7', 'openssl1.0') + dpkgEntry('base-files', '9.9+deb9u13') },
        { name: 'app/.wh..wh..opq' },
        { name: 'app/package-lock.json', content: packageLock({ lodash: '4.17.21' }) },
      ]) }] },
      { name: 'fixture/other:1', layers: [{ tar: await makeTar(base9) }, { tar: await makeTar([{ name: 'srv/package-lock.json', content: packageLock({ lodash: '4.17.21' }) }]) }] },
    ]);
    images = await openImageNode(root);
    await images.load({ path: layout });
    scanner = ScanService.open(root, { runner: new ChildProcessRunner(), clock: systemClock });
  });

  after(async () => {
    scanner.close();
    await images.close();
    await rm(work, { recursive: true, force: true });
  });

  test('CycloneDX 1.5 of a Debian-like image validates against the official schema and lists real dpkg packages', async () => {
    const bom = (await scanner.sbom('fixture/host-debian:12', 'cyclonedx', images)) as { components: { name: string; version: string; purl?: string; type: string; licenses?: unknown[] }[] };
    const validate = cyclonedx15Validator();
    assert.ok(validate(bom), JSON.stringify(validate.errors?.slice(0, 3)));
    const host = hostPackages();
    const debs = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/') === true);
    assert.equal(debs.length, host.size);
    for (const name of ['dpkg', 'bash', 'libc6', 'coreutils']) {
      const c = debs.find((d) => d.name === name);
      assert.equal(c?.version, host.get(name), name);
      assert.match(c?.purl ?? '', new RegExp(`^pkg:deb/debian/${name}@[^?]+\\?arch=(amd64|all)&distro=debian-12`));
    }
    assert.deepEqual(debs.find((d) => d.name === 'dpkg')?.licenses, [{ license: { id: 'GPL-2.0-or-later' } }]);
    assert.equal(bom.components.find((c) => c.type === 'operating-system')?.version, '12');
  });

  test('SPDX 2.3 of the same image names each package with its purl', async () => {
    const doc = (await scanner.sbom('fixture/host-debian:12', 'spdx', images)) as { spdxVersion: string; packages: { SPDXID: string; name: string; versionInfo?: string; externalRefs?: { referenceLocator: string }[] }[]; relationships: unknown[] };
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.deepEqual(spdx23Problems(doc), []);
    const ids = new Set(doc.packages.map((p) => p.SPDXID));
    assert.equal(ids.size, doc.packages.length);
    for (const id of ids) assert.match(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
    const bash = doc.packages.find((p) => p.name === 'bash');
    assert.equal(bash?.versionInfo, hostPackages().get('bash'));
    assert.match(bash?.externalRefs?.[0]?.referenceLocator ?? '', /^pkg:deb\/debian\/bash@/);
    assert.equal(doc.relationships.length, doc.packages.length);
  });

  test('a multi-layer image: each finding names its advisory, severity, fixed version and layer', async () => {
    const report = await scanner.scan('fixture/app:1', images);
    // nothing imported yet
    assert.equal(report.findings.length, 0);
    await scanner.importDatabase(join(OSV, 'advisories'));
    const after1 = await scanner.scan('fixture/app:1', images);
    const got = after1.findings.map((f) => [f.id, f.package.name, f.package.version, f.severity, f.score, f.fixedVersion, f.layer?.index]);
    assert.deepEqual(got, [
      ['DLA-2953-1', 'libssl1.0.2', '1.0.2u-1~deb9u6', 'HIGH', 7.5, '1.0.2u-1~deb9u7', 0],
      ['GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.20', 'HIGH', 7.2, '4.17.21', 1],
      ['GHSA-29mw-wpgm-hmr9', 'lodash', '4.17.20', 'MEDIUM', 5.3, '4.17.21', 1],
    ]);
    assert.equal(after1.findings[0]?.package.source, 'openssl1.0');
    assert.ok(after1.warnings.some((w) => w.includes('app/bad/package-lock.json')), after1.warnings.join('\n'));
    assert.ok(after1.warnings.some((w) => w.includes('var/lib/dpkg/status')), after1.warnings.join('\n'));
    const sbom = await scanner.inventory('fixture/app:1', images);
    const byName = new Map(sbom.inventory.packages.map((p) => [p.name, p]));
    assert.equal(byName.get('log4j-core')?.purl, 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1');
    assert.equal(byName.get('requests')?.purl, 'pkg:pypi/requests@2.31.0');
    assert.equal(byName.get('minimist')?.layer?.index, 1);
  });

  test('a whiteout in an upper layer removes what the lockfile below brought', async () => {
    const report = await scanner.scan('fixture/app:2', images);
    assert.deepEqual(report.findings.map((f) => f.id), ['DLA-2953-1']);
  });

  test('an upper layer that rewrites the dpkg status and makes a directory opaque', async () => {
    const { inventory } = await scanner.inventory('fixture/app:3', images);
    const layerOf = new Map(inventory.packages.map((p) => [`${p.name}@${p.version}`, p.layer?.index]));
    assert.equal(layerOf.get('base-files@9.9+deb9u13'), 0);
    assert.equal(layerOf.get('libssl1.0.2@1.0.2u-1~deb9u7'), 2);
    assert.equal(layerOf.get('lodash@4.17.21'), 2);
    assert.equal(layerOf.get('log4j-core@2.14.1'), 1);
    assert.ok(!inventory.packages.some((p) => p.name === 'minimist' || p.version === '1.0.2u-1~deb9u6'));
    assert.deepEqual((await scanner.scan('fixture/app:3', images)).findings, []);
  });

  test('shared base layers are read once; an import re-matches cached inventories without reading layers', async () => {
    const fresh = ScanService.open(join(work, 'cache-root'), { runner: new ChildProcessRunner(), clock: systemClock });
    try {
      await fresh.scan('fixture/app:1', images);
      assert.deepEqual(fresh.inventories.stats, { layersRead: 2, layersFromCache: 0 });
      await fresh.scan('fixture/other:1', images);
      assert.deepEqual(fresh.inventories.stats, { layersRead: 3, layersFromCache: 1 });
      await fresh.importDatabase(join(OSV, 'critical'));
      const rescanned = await fresh.scan('fixture/app:1', images);
      assert.deepEqual(fresh.inventories.stats, { layersRead: 3, layersFromCache: 3 });
      assert.deepEqual(rescanned.findings.map((f) => [f.id, f.severity, f.fixedVersion]), [['GHSA-xvch-5gv4-984h', 'CRITICAL', '1.2.6']]);
      assert.deepEqual(fresh.ecosystemsInUse(), ['Debian', 'Maven', 'PyPI', 'npm']);
    } finally {
      fresh.close();
    }
  });

  test('a rescan after an import records one image event for the image that gained a finding at the floor, and never again', async () => {
    const fresh = ScanService.open(join(work, 'rescan-root'), { runner: new ChildProcessRunner(), clock: systemClock });
    try {
      const log = new EventLog(images.db);
      const metrics = new RescanMetrics();
      const app = images.resolve('fixture/app:1');
      const other = images.resolve('fixture/other:1');
      const rescannerOf = (): ImageRescanner => new ImageRescanner({
        scanner: fresh, images, events: log, metrics, floor: 'HIGH',
        watchedImages: () => [{ imageId: app.id, containerIds: ['c1'] }, { imageId: other.id, containerIds: ['c2'] }],
      });
      const since = log.lastSeq();
      const reported = (): { id: string; attributes: Record<string, string> }[] =>
        log.read({ afterSeq: since }).filter((e) => e.type === 'image' && e.action === 'vulnerabilities').map((e) => e.actor);
      const rescanner = rescannerOf();
      await rescanner.pass(false);
      assert.deepEqual(reported(), []);
      await fresh.importDatabase(join(OSV, 'critical'));
      await rescanner.pass(false);
      assert.deepEqual(reported(), [{
        id: app.id,
        attributes: {
          name: 'fixture/app:1', 'berth.scan.floor': 'HIGH', 'berth.scan.unknown': '0', 'berth.scan.low': '0', 'berth.scan.medium': '0', 'berth.scan.high': '0', 'berth.scan.critical': '1',
          'berth.scan.new': 'GHSA-xvch-5gv4-984h', 'berth.scan.new.count': '1', 'berth.scan.generation': '1', 'berth.scan.containers': 'c1',
        },
      }]);
      // The same records again (a new generation), a full pass, and a new rescanner (a restarted berthd): nothing new.
      await fresh.importDatabase(join(OSV, 'critical'));
      await rescanner.pass(false);
      await rescanner.pass(true);
      await rescannerOf().pass(false);
      assert.equal(reported().length, 1);
      assert.deepEqual(fresh.scans.lastScan(app.id)?.counts, { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 1 });
      assert.equal(fresh.scans.lastScan(app.id)?.generation, 2);
      const text = await metrics.text();
      assert.match(text, new RegExp(`^berth_image_vulnerabilities\\{image="fixture/app:1",image_id="${app.id}",severity="CRITICAL"\\} 1$`, 'm'));
      assert.match(text, /^berth_vulnerability_findings_reported_total\{severity="CRITICAL"\} 1$/m);
    } finally {
      fresh.close();
    }
  });

  test('malformed OSV records are refused as a whole, naming the file and field', async () => {
    const before = scanner.vulns.count();
    await assert.rejects(scanner.importDatabase(join(OSV, 'malformed')), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'invalid-argument');
      assert.match(err.message, /bad-events\.json: field affected\.0\.ranges\.0\.events\.0/);
      return true;
    });
    assert.equal(scanner.vulns.count(), before);
    const notJson = join(work, 'not-json');
    await mkdir(notJson, { recursive: true });
    await writeFile(join(notJson, 'x.json'), '{"id": ');
    await assert.rejects(scanner.importDatabase(notJson), /x\.json: not valid JSON/);
  });

  test('withdrawn records stop matching after they are re-imported as withdrawn', async () => {
    const dir = join(work, 'withdrawn');
    await cp(join(OSV, 'advisories'), dir, { recursive: true });
    const file = join(dir, 'GHSA-29mw-wpgm-hmr9.json');
    const record = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...record, modified: '2025-01-01T00:00:00Z', withdrawn: '2025-01-01T00:00:00Z' }));
    const fresh = ScanService.open(join(work, 'withdrawn-root'), { runner: new ChildProcessRunner(), clock: systemClock });
    try {
      await fresh.importDatabase(dir);
      const ids = (await fresh.scan('fixture/app:1', images)).findings.map((f) => f.id);
      assert.ok(!ids.includes('GHSA-29mw-wpgm-hmr9'));
      assert.ok(ids.includes('GHSA-35jh-r3h4-6jhm'));
    } finally {
      fresh.close();
    }
  });

  test('berth scan: exit codes follow --severity and --exit-code; ignore files; SARIF', async () => {
    await scanner.importDatabase(join(OSV, 'critical'));
    const r = await berth(root, ['scan', 'fixture/app:1', '--format', 'json', '--exit-code', '3']);
    assert.equal(r.code, 3, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { id: string }[] };
    assert.ok(report.findings.length >= 3);
    assert.equal((await berth(root, ['scan', 'fixture/app:1', '--severity', 'CRITICAL', '--exit-code', '4'])).code, 4);
    assert.equal((await berth(root, ['scan', 'fixture/app:2', '--severity', 'CRITICAL', '--exit-code', '4'])).code, 0);
    const table = await berth(root, ['scan', 'fixture/app:1']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^PACKAGE\s+INSTALLED\s+FIXED\s+ADVISORY\s+SEVERITY\s+LAYER$/m);
    const lines = table.stdout.split('\n').filter((l) => /GHSA|DLA/.test(l));
    assert.match(lines[0] ?? '', /^minimist\s+1\.2\.5\s+1\.2\.6\s+GHSA-xvch-5gv4-984h\s+CRITICAL \(9\.8\)\s+1 /);
    const ignore = join(work, 'ignore.yaml');
    await writeFile(ignore, 'ignore:\n  - id: GHSA-xvch-5gv4-984h\n    reason: not reachable\n    expires: 2999-01-01\n  - id: CVE-2021-23337\n    reason: alias of GHSA-35jh\n  - id: DLA-2953-1\n    expires: 2000-01-01\n');
    const ignored = await berth(root, ['scan', 'fixture/app:1', '--severity', 'HIGH', '--ignore-file', ignore, '--format', 'json', '--exit-code', '5']);
    assert.equal(ignored.code, 5, 'the expired DLA entry no longer ignores');
    assert.match(ignored.stderr, /DLA-2953-1 expired/);
    const shown = (JSON.parse(ignored.stdout) as { findings: { id: string; ignored?: unknown }[] }).findings.filter((f) => f.ignored === undefined).map((f) => f.id);
    assert.deepEqual(shown, ['DLA-2953-1']);
    const sarif = JSON.parse((await berth(root, ['scan', 'fixture/app:1', '--format', 'sarif'])).stdout) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    const validSarif = sarif210Validator();
    assert.ok(validSarif(sarif), JSON.stringify(validSarif.errors?.slice(0, 3)));
    assert.ok(sarif.runs[0]?.results.some((x) => x.ruleId === 'GHSA-xvch-5gv4-984h' && x.level === 'error'));
    const bad = await berth(root, ['scan', 'fixture/app:1', '--severity', 'SEVERE']);
    assert.equal(bad.code, 2);
    const badIgnore = join(work, 'bad-ignore.json');
    await writeFile(badIgnore, '[{"id": "X", "expires": "someday"}]');
    const badIgnored = await berth(root, ['scan', 'fixture/app:1', '--ignore-file', badIgnore]);
    assert.equal(badIgnored.code, 2);
    assert.match(badIgnored.stderr, /field 0\.expires/);
  });

  test('berth sbom writes a file; scanning a missing target is not-found', async () => {
    const out = join(work, 'app.cdx.json');
    assert.equal((await berth(root, ['sbom', 'fixture/app:1', '-o', out])).code, 0);
    const validate = cyclonedx15Validator();
    assert.ok(validate(JSON.parse(await (await import('node:fs/promises')).readFile(out, 'utf8'))), JSON.stringify(validate.errors?.slice(0, 3)));
    const missing = await berth(root, ['scan', 'no-such-image:1']);
    assert.equal(missing.code, 3, missing.stderr);
  });
});
