// berth's registry with pull rules (`berth registry serve --policy`, the gate of
// daemon/berth-process/registry-pull-gate.ts): a pull of an unsigned image of a repository a
// `signed` rule matches is refused with 403 DENIED naming the rule (berth pull shows it, nothing
// is stored); once `berth sign` signed it (through HEAD, which is never gated) it is served;
// repositories no rule matches are not gated; a `vulnerabilities` rule scans the image's layers
// from the registry's storage with the scan database of the registry's directory and refuses one
// with a vulnerability at or above its severity. On 127.0.0.1 only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryPullGate } from '../../../src/daemon/berth-process/registry-serve.js';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { berth, berthOk, needsRoot, runBerth } from '../../support/berth-cli.js';
import { makeTar, type FixtureEntry } from '../../support/oci-fixtures.js';
import { FIXTURES, packageLock } from './security-fixtures.js';

const PASSWORD = { COSIGN_PASSWORD: 'pw' };

describe('berth registry: signed pull rules', { skip: needsRoot() }, () => {
  let work: string;
  let registry: RunningRegistry;
  let host: string;
  const pusher = (): string => join(work, 'pusher');
  const puller = (): string => join(work, 'puller');

  async function pushImage(name: string, marker: string, extra: FixtureEntry[] = []): Promise<void> {
    await writeFile(join(work, 'image.tar'), await makeTar([{ name: 'marker', content: marker }, ...extra]));
    await berthOk(pusher(), ['import', join(work, 'image.tar'), `${host}/${name}`]);
    await berthOk(pusher(), ['push', `${host}/${name}`]);
  }

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-registry-signed-'));
    const keys = await runBerth(['sign', 'generate-key-pair'], { env: PASSWORD, cwd: work });
    assert.equal(keys.code, 0, keys.stderr);
    await writeFile(join(work, 'policy.yaml'), 'pull:\n  - { name: signed-prod, kind: signed, repositories: "prod/**", keys: [cosign.pub] }\n  - { name: no-high, kind: vulnerabilities, repositories: "scanned/**", severity: HIGH }\n');
    await berthOk(join(work, 'registry'), ['scan', 'db', 'import', join(FIXTURES, 'osv', 'rescan')]);
    registry = await startRegistryServer({ root: join(work, 'registry'), addr: '127.0.0.1:0', gcIntervalMs: 0, policy: join(work, 'policy.yaml'), pullGate: registryPullGate(join(work, 'registry')) });
    host = new URL(registry.url).host;
    await pushImage('prod/app:1', 'app');
    await pushImage('dev/app:1', 'dev');
  });

  after(async () => {
    await registry.close();
    await rm(work, { recursive: true, force: true });
  });

  test('an unsigned image of a matching repository is refused with 403 DENIED naming the rule; nothing is stored', async () => {
    const refused = await berth(puller(), ['pull', `${host}/prod/app:1`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /denied: prod\/app@sha256:[0-9a-f]{64}: pull rule "signed-prod": not signed by cosign\.pub: no signature for this registry\/prod\/app@sha256:/);
    assert.doesNotMatch((await berthOk(puller(), ['images', '--format', 'json'])), /prod\/app/);
    const raw = await fetch(`${registry.url}/v2/prod/app/manifests/1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    assert.equal(raw.status, 403);
    assert.equal(((await raw.json()) as { errors: { code: string }[] }).errors[0]?.code, 'DENIED');
  });

  test('repositories no rule matches are served', async () => {
    assert.equal((await berth(puller(), ['pull', `${host}/dev/app:1`])).code, 0);
  });

  test('signed with the rule\'s key (classic or bundle), the image is served', async () => {
    for (const [repo, format] of [['prod/app:1', 'bundle'], ['prod/classic:1', 'classic']] as const) {
      if (repo !== 'prod/app:1') await pushImage(repo, repo);
      const signed = await runBerth(['sign', '--key', 'cosign.key', '--signature-format', format, `${host}/${repo}`], { env: PASSWORD, cwd: work });
      assert.equal(signed.code, 0, signed.stderr);
      const pulled = await berth(puller(), ['pull', `${host}/${repo}`]);
      assert.equal(pulled.code, 0, pulled.stderr);
    }
  });

  test('a vulnerabilities rule scans the image from the registry\'s storage and refuses one at or above its severity', async () => {
    await pushImage('scanned/vulnerable:1', 'vulnerable', [{ name: 'app/package-lock.json', content: packageLock({ 'ansi-regex': '5.0.0' }) }]);
    await pushImage('scanned/clean:1', 'clean');
    const refused = await berth(puller(), ['pull', `${host}/scanned/vulnerable:1`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /denied: scanned\/vulnerable@sha256:[0-9a-f]{64}: pull rule "no-high": 1 known vulnerability at or above HIGH \(1 HIGH\)/);
    assert.equal((await berth(puller(), ['pull', `${host}/scanned/clean:1`])).code, 0);
    // Asked again, the counts are remembered for the digest: the same answer.
    assert.match((await berth(puller(), ['pull', `${host}/scanned/vulnerable:1`])).stderr, /pull rule "no-high": 1 known vulnerability/);
  });
});
