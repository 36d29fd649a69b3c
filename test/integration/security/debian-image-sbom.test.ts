import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { ScanService } from '../../../src/security/scan-service.js';
import { systemClock } from '../../../src/base/clock.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { needsRoot } from '../../support/berth-cli.js';
import { cyclonedx15Validator, spdx23Problems } from './security-fixtures.js';

/** The one test on a real bootstrapped image (debootstrap, ~30–60 s): made once, used by each test. */
describe('SBOM of the bootstrapped debian:bookworm image', { skip: needsRoot() || (spawnSync('which', ['debootstrap']).status !== 0 && 'no debootstrap') }, () => {
  let work: string;
  let images: ImageService;
  let scanner: ScanService;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-debian-sbom-'));
    images = await openImageNode(join(work, 'root'));
    await images.bootstrap('debian:bookworm');
    scanner = ScanService.open(join(work, 'root'), { runner: new ChildProcessRunner(), clock: systemClock });
  });
  after(async () => {
    scanner.close();
    await images.close();
    await rm(work, { recursive: true, force: true });
  });

  test('CycloneDX and SPDX validate; every dpkg package with its version, arch, source and a debian-12 purl', async () => {
    const image = images.resolve('debian:bookworm');
    const config = await images.config(image);
    const status = await readFile(join(images.layerDirs(config)[0] ?? '', 'var', 'lib', 'dpkg', 'status'), 'utf8');
    const installed = new Map([...status.matchAll(/^Package: (\S+)\n(?:[^\n]+\n)*?Version: (\S+)/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const bom = (await scanner.sbom('debian:bookworm', 'cyclonedx', images)) as { components: { name: string; version: string; purl?: string; properties?: { name: string; value: string }[] }[] };
    const validate = cyclonedx15Validator();
    assert.ok(validate(bom), JSON.stringify(validate.errors?.slice(0, 3)));
    const debs = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/debian/') === true);
    assert.ok(debs.length > 50, `${debs.length} packages`);
    assert.equal(debs.length, installed.size);
    for (const c of debs) {
      assert.equal(c.version, installed.get(c.name), c.name);
      assert.match(c.purl ?? '', /\?arch=(amd64|all|arm64)&distro=debian-12/);
      assert.equal(c.properties?.find((p) => p.name === 'berth:layer:diff-id')?.value, config.rootfs.diff_ids[0]);
    }
    const libc = debs.find((c) => c.name === 'libc6');
    assert.match(libc?.purl ?? '', /&upstream=glibc$/);
    const spdx = (await scanner.sbom('debian:bookworm', 'spdx', images)) as { packages: unknown[] };
    assert.deepEqual(spdx23Problems(spdx), []);
    assert.equal(spdx.packages.length, debs.length + 1);
  });
});
