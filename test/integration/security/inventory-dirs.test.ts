import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { InventoryCache } from '../../../src/security/sbom/inventory-cache.js';
import { InventoryService } from '../../../src/security/sbom/inventory-service.js';
import { buildRpmHeader, RPM_TAGS } from '../../../src/security/sbom/parsers/rpm-header.js';
import { ScanDatabase } from '../../../src/security/scan-database.js';
import { berth, needsRoot } from '../../support/berth-cli.js';
import { toSpdx } from '../../../src/security/sbom/spdx.js';
import { makeZip, spdx23Problems } from './security-fixtures.js';

async function put(root: string, path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), content);
}

describe('inventories of directories and root filesystem tarballs', { skip: needsRoot() }, () => {
  let work: string;
  let db: ScanDatabase;
  let service: InventoryService;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-inventory-'));
    db = ScanDatabase.open(join(work, 'scan.db'));
    service = new InventoryService(new InventoryCache(db), new ChildProcessRunner());
  });
  after(async () => {
    db.close();
    await rm(work, { recursive: true, force: true });
  });

  test('a Go binary built here: stdlib and module versions from its build info', { skip: spawnSync('go', ['version']).status !== 0 && 'no go toolchain (golang-go, installed by scripts/install.sh --test)' }, async () => {
    const src = join(work, 'gosrc');
    await put(src, 'go.mod', 'module example.com/hello\n\ngo 1.19\n');
    await put(src, 'main.go', 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n');
    const rootfs = join(work, 'go-rootfs');
    await mkdir(join(rootfs, 'usr', 'bin'), { recursive: true });
    const env = { ...process.env, GOCACHE: join(work, 'gocache'), GOPATH: join(work, 'gopath'), GOPROXY: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
    const built = spawnSync('go', ['build', '-o', join(rootfs, 'usr', 'bin', 'hello'), '.'], { cwd: src, env, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const goVersion = /go(\d+\.\d+(\.\d+)?)/.exec(spawnSync('go', ['env', 'GOVERSION'], { env, encoding: 'utf8' }).stdout)?.[1];
    const { inventory } = await service.ofPath(rootfs);
    assert.deepEqual(inventory.packages.map((p) => [p.name, p.version, p.purl, p.locations]), [['stdlib', `v${goVersion ?? ''}`, `pkg:golang/stdlib@v${goVersion ?? ''}`, ['usr/bin/hello']]]);
  });

  test('apk, rpm (sqlite rpmdb), status.d, Python egg-info, nested jars; malformed files are warnings', async () => {
    const rootfs = join(work, 'mixed');
    await put(rootfs, 'etc/os-release', 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n');
    await put(rootfs, 'lib/apk/db/installed', 'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n\n');
    await put(rootfs, 'var/lib/dpkg/status.d/tzdata', 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n\n');
    await put(rootfs, 'usr/lib/python3.11/site-packages/six-1.16.0.egg-info/PKG-INFO', 'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nLicense: MIT\n');
    const inner = makeZip([{ name: 'META-INF/maven/com.google.guava/guava/pom.properties', data: 'groupId=com.google.guava\nartifactId=guava\nversion=31.1-jre\n' }]);
    await put(rootfs, 'app/app.jar', makeZip([
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\nImplementation-Title: demo\nImplementation-Version: 1.0\n' },
      { name: 'BOOT-INF/lib/guava-31.1-jre.jar', data: inner },
    ]));
    await put(rootfs, 'app/broken.jar', 'not a zip at all');
    await put(rootfs, 'srv/node_modules/left-pad/package.json', '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}');
    await put(rootfs, 'srv/node_modules/evil/package.json', '{"name": ["x"], "version": 1}');
    const rpmdb = join(rootfs, 'var', 'lib', 'rpm', 'rpmdb.sqlite');
    await mkdir(join(rpmdb, '..'), { recursive: true });
    const sqlite = new BetterSqlite3(rpmdb);
    sqlite.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const header = buildRpmHeader([[RPM_TAGS.name, 'bash'], [RPM_TAGS.version, '5.1.8'], [RPM_TAGS.release, '6.el9'], [RPM_TAGS.arch, 'x86_64'], [RPM_TAGS.license, 'GPLv3+'], [RPM_TAGS.sourcerpm, 'bash-5.1.8-6.el9.src.rpm']]);
    sqlite.prepare('INSERT INTO Packages (blob) VALUES (?)').run(header);
    sqlite.prepare('INSERT INTO Packages (blob) VALUES (?)').run(Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]));
    sqlite.close();
    const { inventory } = await service.ofPath(rootfs);
    const purls = inventory.packages.map((p) => p.purl).sort();
    assert.deepEqual(purls, [
      'pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1',
      'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1',
      'pkg:deb/alpine/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=alpine-3.19.1',
      'pkg:maven/com.google.guava/guava@31.1-jre',
      'pkg:maven/demo/demo@1.0',
      'pkg:npm/left-pad@1.3.0',
      'pkg:pypi/six@1.16.0',
      'pkg:rpm/alpine/bash@5.1.8-6.el9?arch=x86_64&distro=alpine-3.19.1',
    ]);
    assert.deepEqual(inventory.packages.find((p) => p.name === 'guava')?.locations, ['app/app.jar!/BOOT-INF/lib/guava-31.1-jre.jar!/META-INF/maven/com.google.guava/guava/pom.properties']);
    const warnings = inventory.warnings.join('\n');
    assert.match(warnings, /app\/broken\.jar: cannot be read as java/);
    assert.match(warnings, /srv\/node_modules\/evil\/package\.json: not a package manifest/);
    assert.match(warnings, /rpmdb\.sqlite: header 2 is malformed/);
    // Its SPDX document (licence names that are no SPDX id become LicenseRef-s) follows the spec.
    const spdx = toSpdx(inventory, { now: new Date(0) }) as { hasExtractedLicensingInfos?: unknown[] };
    assert.deepEqual(spdx23Problems(spdx), []);
    assert.ok((spdx.hasExtractedLicensingInfos ?? []).length > 0);
  });

  test('a root filesystem tarball, and berth sbom on a directory', async () => {
    const rootfs = join(work, 'tarred');
    await put(rootfs, 'var/lib/dpkg/status', 'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n');
    await put(rootfs, 'usr/lib/os-release', 'ID=debian\nVERSION_ID="12"\n');
    const tarball = join(work, 'rootfs.tar.gz');
    assert.equal(spawnSync('tar', ['-czf', tarball, '-C', rootfs, '.']).status, 0);
    const { inventory } = await service.ofPath(tarball);
    assert.deepEqual(inventory.packages.map((p) => p.purl), ['pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib']);
    const r = await berth(join(work, 'state'), ['sbom', rootfs, '--format', 'spdx']);
    assert.equal(r.code, 0, r.stderr);
    const spdx = JSON.parse(r.stdout) as { packages: { name: string }[] };
    assert.deepEqual(spdx23Problems(spdx), []);
    assert.ok(spdx.packages.some((p) => p.name === 'zlib1g'));
    await writeFile(join(work, 'garbage.tar'), 'this is not a tar');
    await assert.rejects(service.ofPath(join(work, 'garbage.tar')), /not a readable root filesystem tarball/);
  });
});
