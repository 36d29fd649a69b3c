import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berthOk } from '../../support/berth-cli.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { CliFixture, needsRoot } from '../cli/cli-fixture.js';
import { eventually } from '../runtime/runtime-fixtures.js';
import { FIXTURES, packageLock } from './security-fixtures.js';

function post(socketPath: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('berthd scanning routes', { skip: needsRoot() }, () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await CliFixture.start();
    // A runnable image (the host's static busybox) with a known-vulnerable lockfile, made by the import code.
    const tar = await makeTar([
      { name: 'bin/busybox', content: await readFile('/bin/busybox'), mode: 0o755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'app/package-lock.json', content: packageLock({ minimist: '1.2.5' }) },
    ]);
    const file = join(fixture.work, 'rootfs.tar');
    await writeFile(file, tar);
    await berthOk(fixture.root, ['import', file, 'fixture/vuln:1']);
    await fixture.ok(['run', '-d', '--name', 'vuln', 'fixture/vuln:1', '/bin/busybox', 'sleep', '1000']);
  });
  after(async () => {
    await (fixture as CliFixture | undefined)?.cleanup();
  });

  test('scan and sbom of an image; an import through the API reports the running container\'s new finding at once', async () => {
    const sock = fixture.socketPath;
    const empty = await post(sock, '/berth/v1/images/fixture/vuln:1/scan');
    assert.equal(empty.status, 200);
    assert.deepEqual((empty.json as { findings: unknown[] }).findings, []);
    const sbom = await post(sock, '/berth/v1/images/fixture/vuln:1/sbom?format=spdx');
    assert.equal(sbom.status, 200);
    assert.ok((sbom.json as { packages: { name: string }[] }).packages.some((p) => p.name === 'minimist'));
    const imported = await post(sock, '/berth/v1/scan/db/import', { path: join(FIXTURES, 'osv', 'critical') });
    assert.equal(imported.status, 200, JSON.stringify(imported.json));
    assert.deepEqual(imported.json, { imported: 1, replaced: 0, unchanged: 0 });
    await eventually('the rescan notice', () => fixture.daemon?.log.join('').includes('has 1 new finding at or above HIGH: GHSA-xvch-5gv4-984h (CRITICAL) in minimist 1.2.5') === true);
    const report = await post(sock, '/berth/v1/images/fixture/vuln:1/scan?severity=high');
    assert.deepEqual((report.json as { findings: { id: string; fixedVersion: string }[] }).findings.map((f) => [f.id, f.fixedVersion]), [['GHSA-xvch-5gv4-984h', '1.2.6']]);
  });

  test('the CLI without --root scans and imports through berthd', async () => {
    const r = await fixture.cli(['scan', 'fixture/vuln:1', '--format', 'json', '--exit-code', '7']);
    assert.equal(r.code, 7, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id), ['GHSA-xvch-5gv4-984h']);
    const sbom = await fixture.ok(['sbom', 'fixture/vuln:1', '--format', 'cyclonedx']);
    assert.ok((JSON.parse(sbom) as { components: { name: string }[] }).components.some((c) => c.name === 'minimist'));
    assert.match(await fixture.ok(['scan', 'db', 'import', join(FIXTURES, 'osv', 'advisories')]), /^Imported 4 new, 0 updated, 0 unchanged OSV records$/m);
    const missing = await fixture.cli(['scan', 'db', 'import', join(fixture.work, 'nothing-here')]);
    assert.equal(missing.code, 3, missing.stderr);
  });

  test('bad requests are refused with the field named', async () => {
    const sock = fixture.socketPath;
    const noPath = await post(sock, '/berth/v1/scan/db/import', { dir: '/x' });
    assert.equal(noPath.status, 400);
    assert.match((noPath.json as { message: string }).message, /path|dir/);
    assert.equal((await post(sock, '/berth/v1/images/no-such:1/scan')).status, 404);
    assert.equal((await post(sock, '/berth/v1/images/fixture/vuln:1/sbom?format=xml')).status, 400);
    assert.equal((await post(sock, '/berth/v1/images/fixture/vuln:1/scan?severity=bad')).status, 400);
  });
});
