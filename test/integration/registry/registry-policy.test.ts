// The registry policy: immutable tags refuse a push of another digest and deletes (403 DENIED,
// nothing changed), and the pull gate is asked about manifest pulls of matching repositories
// (never about signatures, referrers or blobs). The policy is read again on SIGHUP, and an
// invalid file stops `berth registry serve` and berthd at start, naming file:line, rule and field.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { openImageNode } from '../../../src/daemon/image-node.js';
import type { PullGate, PullRequest } from '../../../src/registry/policy/pull-gate.js';
import { startRegistryServer } from '../../../src/registry/registry-server.js';
import { BERTH_BIN, needsRoot, runBerth } from '../../support/berth-cli.js';
import { makeTar } from '../../support/oci-fixtures.js';
import { call, OCI_INDEX, pushBlob, pushImageBlobs, putManifest, sha256, startTestRegistry, type TestRegistry } from './registry-fixture.js';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
const POLICY = [
  'immutable_tags:',
  '  - { repositories: "prod/**", tags: "v*" }',
  'pull:',
  '  - { name: signed-prod, kind: signed, repositories: "prod/**", keys: [cosign.pub] }',
  '',
].join('\n');

async function errorOf(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const body = (await response.json()) as { errors?: { code?: string; message?: string }[] };
  return { status: response.status, ...body.errors?.[0] };
}

async function digestAt(registry: TestRegistry, repo: string, reference: string): Promise<string | null> {
  const response = await call(registry, 'HEAD', `/v2/${repo}/manifests/${reference}`);
  return response.status === 200 ? response.headers.get('docker-content-digest') : null;
}

describe('registry policy: immutable tags and the pull gate', () => {
  let work: string;
  let policyFile: string;
  let registry: TestRegistry;
  const lines: string[] = [];
  const calls: PullRequest[] = [];
  const refused = new Map<string, string>();
  const gate: PullGate = {
    check: (request) => {
      calls.push(request);
      return Promise.resolve(refused.get(request.digest) ?? refused.get('*'));
    },
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-registry-policy-'));
    policyFile = join(work, 'policy.yaml');
    await writeFile(join(work, 'cosign.pub'), PEM);
    await writeFile(policyFile, POLICY);
    registry = await startTestRegistry({ policy: policyFile, pullGate: gate, gcIntervalMs: 0, log: (line) => { lines.push(line); } });
  });
  after(async () => {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('an immutable tag takes its first digest again, refuses another, and stays where it was', async () => {
    const first = await pushImageBlobs(registry, 'prod/app', 'one');
    const second = await pushImageBlobs(registry, 'prod/app', 'two');
    assert.equal((await putManifest(registry, 'prod/app', 'v1', first.manifest)).status, 201, 'a new tag');
    assert.equal((await putManifest(registry, 'prod/app', 'v1', first.manifest)).status, 201, 'the same digest again (docker push twice)');
    const refusal = await errorOf(await putManifest(registry, 'prod/app', 'v1', second.manifest));
    assert.deepEqual(refusal, {
      status: 403, code: 'DENIED',
      message: `prod/app:v1 is immutable (rule repositories "prod/**", tags "v*"): it points to ${first.digest}; push a new tag`,
      detail: { name: 'prod/app', tag: 'v1', digest: first.digest },
    });
    assert.equal(await digestAt(registry, 'prod/app', 'v1'), first.digest, 'the tag did not move');
    assert.equal(await digestAt(registry, 'prod/app', second.digest), null, 'the refused manifest was not recorded');
    assert.equal((await putManifest(registry, 'prod/app', 'v2', second.manifest)).status, 201, 'a new tag for it');
  });

  test('berth push of the same image twice works; of another image to the tag, it is refused', { skip: needsRoot() }, async () => {
    const images = await openImageNode(join(work, 'node'));
    try {
      const name = `${new URL(registry.url).host}/prod/pushed:v1`;
      await images.import(Readable.from([await makeTar([{ name: 'one.txt', content: 'one' }])]), { names: [name] });
      const first = await images.push(name);
      assert.equal((await images.push(name)).digest, first.digest, 'pushed again');
      await images.import(Readable.from([await makeTar([{ name: 'two.txt', content: 'two' }])]), { names: [name] });
      await assert.rejects(images.push(name), (err: Error) => err.message.includes(`prod/pushed:v1 is immutable (rule repositories "prod/**", tags "v*"): it points to ${first.digest}; push a new tag`));
      assert.equal(await digestAt(registry, 'prod/pushed', 'v1'), first.digest);
    } finally {
      await images.close();
    }
  });

  test('tags and repositories no rule names stay mutable', async () => {
    const first = await pushImageBlobs(registry, 'prod/app', 'three');
    const second = await pushImageBlobs(registry, 'prod/app', 'four');
    await putManifest(registry, 'prod/app', 'latest', first.manifest);
    assert.equal((await putManifest(registry, 'prod/app', 'latest', second.manifest)).status, 201);
    assert.equal(await digestAt(registry, 'prod/app', 'latest'), second.digest);
    const dev = await pushImageBlobs(registry, 'dev/app', 'five');
    const dev2 = await pushImageBlobs(registry, 'dev/app', 'six');
    await putManifest(registry, 'dev/app', 'v1', dev.manifest);
    assert.equal((await putManifest(registry, 'dev/app', 'v1', dev2.manifest)).status, 201);
    assert.equal((await call(registry, 'DELETE', '/v2/prod/app/manifests/latest')).status, 202, 'a mutable tag is deleted');
  });

  test('deleting an immutable tag, its manifest or a blob it holds is refused', async () => {
    const image = await pushImageBlobs(registry, 'prod/keep', 'seven');
    await putManifest(registry, 'prod/keep', 'v1', image.manifest);
    const byTag = await errorOf(await call(registry, 'DELETE', '/v2/prod/keep/manifests/v1'));
    assert.equal(byTag.status, 403);
    assert.equal(byTag.message, 'prod/keep:v1 is immutable (rule repositories "prod/**", tags "v*"): it cannot be deleted');
    const byDigest = await errorOf(await call(registry, 'DELETE', `/v2/prod/keep/manifests/${image.digest}`));
    assert.equal(byDigest.code, 'DENIED');
    assert.match(byDigest.message ?? '', /^manifest prod\/keep@sha256:[0-9a-f]{64} cannot be deleted: prod\/keep:v1 is immutable .* and points to it$/);
    const layer = await errorOf(await call(registry, 'DELETE', `/v2/prod/keep/blobs/${image.blobs[1] ?? ''}`));
    assert.match(layer.message ?? '', /^blob .* cannot be deleted: prod\/keep:v1 is immutable .* which holds it$/);
    assert.equal(await digestAt(registry, 'prod/keep', 'v1'), image.digest);
    assert.equal((await call(registry, 'GET', `/v2/prod/keep/blobs/${image.blobs[1] ?? ''}`)).status, 200);
  });

  test('the pull gate is asked after resolution, with the matching rules; its refusal is 403 DENIED', async () => {
    const image = await pushImageBlobs(registry, 'prod/gated', 'eight');
    await putManifest(registry, 'prod/gated', 'v1', image.manifest);
    calls.length = 0;
    assert.equal((await call(registry, 'GET', '/v2/prod/gated/manifests/v1')).status, 200);
    assert.equal(calls.length, 1);
    const [asked] = calls;
    assert.deepEqual({ ...asked, rules: asked?.rules.map((rule) => [rule.name, rule.kind, rule.repositories.text, rule.kind === 'signed' ? rule.keys.map((key) => key.path) : []]), storage: undefined }, {
      repository: 'prod/gated', reference: 'v1', digest: image.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      indexes: [], method: 'GET', account: undefined, rules: [['signed-prod', 'signed', 'prod/**', [join(work, 'cosign.pub')]]], storage: undefined,
    });
    refused.set(image.digest, `prod/gated@${image.digest} is not signed by cosign.pub`);
    for (const method of ['GET', 'HEAD']) {
      const response = await call(registry, method, `/v2/prod/gated/manifests/${method === 'GET' ? 'v1' : image.digest}`);
      assert.equal(response.status, 403, method);
      if (method === 'GET') assert.deepEqual(await errorOf(response), { status: 403, code: 'DENIED', message: `prod/gated@${image.digest} is not signed by cosign.pub`, detail: { name: 'prod/gated', reference: 'v1', digest: image.digest, rules: ['signed-prod'] } });
    }
    assert.equal(calls.at(-1)?.method, 'HEAD');
    assert.equal((await call(registry, 'GET', `/v2/prod/gated/blobs/${image.blobs[0] ?? ''}`)).status, 200, 'blobs are not gated');
    calls.length = 0;
    const dev = await pushImageBlobs(registry, 'dev/free', 'nine');
    await putManifest(registry, 'dev/free', 'v1', dev.manifest);
    assert.equal((await call(registry, 'GET', '/v2/dev/free/manifests/v1')).status, 200);
    assert.equal(calls.length, 0, 'no pull rule names dev/free');
  });

  test('a platform manifest is gated with the indexes that list it', async () => {
    const image = await pushImageBlobs(registry, 'prod/multi', 'ten');
    await putManifest(registry, 'prod/multi', image.digest, image.manifest);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest, size: image.manifest.length, platform: { os: 'linux', architecture: 'amd64' } }] }));
    await putManifest(registry, 'prod/multi', 'v1', index, OCI_INDEX);
    calls.length = 0;
    assert.equal((await call(registry, 'GET', '/v2/prod/multi/manifests/v1')).status, 200);
    assert.equal((await call(registry, 'GET', `/v2/prod/multi/manifests/${image.digest}`)).status, 200);
    assert.deepEqual(calls.map((c) => [c.digest, c.indexes]), [[sha256(index), []], [image.digest, [sha256(index)]]]);
  });

  test('signatures, referrers and their lists are never gated; a runnable image under a .sig tag is', async () => {
    const image = await pushImageBlobs(registry, 'prod/signed', 'eleven');
    await putManifest(registry, 'prod/signed', 'v1', image.manifest);
    const configBytes = Buffer.from('{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}');
    const config = await pushBlob(registry, 'prod/signed', configBytes);
    const payload = Buffer.from(JSON.stringify({ critical: { image: { 'docker-manifest-digest': image.digest } } }));
    const payloadDigest = await pushBlob(registry, 'prod/signed', payload);
    const signature = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: configBytes.length },
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: payloadDigest, size: payload.length }],
    }));
    const signatureTag = `${image.digest.replace(':', '-')}.sig`;
    assert.equal((await putManifest(registry, 'prod/signed', signatureTag, signature)).status, 201);
    const empty = await pushBlob(registry, 'prod/signed', '{}');
    const bundle = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
      layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: payloadDigest, size: payload.length }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest, size: image.manifest.length },
    }));
    assert.equal((await putManifest(registry, 'prod/signed', sha256(bundle), bundle)).status, 201);
    refused.set('*', 'nothing is signed');
    try {
      calls.length = 0;
      for (const reference of [signatureTag, sha256(signature), sha256(bundle)]) {
        assert.equal((await call(registry, 'GET', `/v2/prod/signed/manifests/${reference}`)).status, 200, reference);
      }
      assert.equal((await call(registry, 'GET', `/v2/prod/signed/referrers/${image.digest}`)).status, 200);
      assert.equal((await call(registry, 'GET', '/v2/prod/signed/tags/list')).status, 200);
      assert.equal(calls.length, 0);
      await putManifest(registry, 'prod/signed', 'evil.sig', image.manifest);
      assert.equal((await call(registry, 'GET', '/v2/prod/signed/manifests/evil.sig')).status, 403, 'an image is an image, whatever its tag');
      assert.equal((await call(registry, 'GET', '/v2/prod/signed/manifests/v1')).status, 403);
    } finally {
      refused.delete('*');
    }
  });

  test('the policy is read again on SIGHUP; an invalid new file is logged and the old one stays', async () => {
    const image = await pushImageBlobs(registry, 'prod/reload', 'twelve');
    const other = await pushImageBlobs(registry, 'prod/reload', 'thirteen');
    await putManifest(registry, 'prod/reload', 'v1', image.manifest);
    await writeFile(policyFile, 'immutable_tags:\n  - repositories: "prod/**"\n    tags: 42x/\n');
    assert.equal(await registry.reloadPolicy(), false);
    assert.match(lines.at(-1) ?? '', /^registry: policy .*policy\.yaml not reloaded, the previous one stays in force: .*policy\.yaml:3: immutable tag rule immutable_tags\[0\]: field tags: want a glob of tags/);
    assert.equal((await putManifest(registry, 'prod/reload', 'v1', other.manifest)).status, 403, 'the old policy is in force');
    await writeFile(policyFile, 'immutable_tags: []\n');
    process.kill(process.pid, 'SIGHUP');
    for (let i = 0; i < 100 && !(lines.at(-1) ?? '').includes('reloaded: 0 immutable tag rules, 0 pull rules'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(lines.at(-1) ?? '', /policy\.yaml reloaded: 0 immutable tag rules, 0 pull rules$/);
    assert.equal((await putManifest(registry, 'prod/reload', 'v1', other.manifest)).status, 201, 'no rule now');
    await writeFile(policyFile, POLICY);
    assert.equal(await registry.reloadPolicy(), true);
  });
});

describe('an invalid registry policy stops the registry at start', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-registry-policy-bad-'));
    await writeFile(join(work, 'bad.yaml'), 'immutable_tags:\n  - { repositories: "prod/**", tags: "v*" }\n  - name: typo\n    repositories: "prod/**"\n    tags: "v/*"\n');
    await writeFile(join(work, 'pull.yaml'), 'pull:\n  - { name: signed-prod, kind: signed, repositories: "prod/**", keys: [missing.pub] }\n');
  });
  after(async () => { await rm(work, { recursive: true, force: true }); });

  test('startRegistryServer names the file, line, rule and field; pull rules need a gate', async () => {
    const root = join(work, 'state');
    await assert.rejects(startRegistryServer({ root, addr: '127.0.0.1:0', policy: join(work, 'bad.yaml') }), { message: new RegExp(`^${join(work, 'bad.yaml')}:5: immutable tag rule "typo" \\(immutable_tags\\[1\\]\\): field tags: want a glob of tags`) });
    await assert.rejects(startRegistryServer({ root, addr: '127.0.0.1:0', policy: join(work, 'pull.yaml') }), { message: /pull\.yaml:2: pull rule "signed-prod" \(pull\[0\]\): field kind: no pull gate is installed/ });
    const check = (): Promise<undefined> => Promise.resolve(undefined);
    await assert.rejects(startRegistryServer({ root, addr: '127.0.0.1:0', policy: join(work, 'pull.yaml'), pullGate: { check } }), { message: /pull\.yaml:2: pull rule "signed-prod" \(pull\[0\]\): field keys\[0\]: missing\.pub: no such key file$/ });
  });

  test('berth registry serve --policy and berthd --registry-policy exit with the message', async () => {
    const serve = await runBerth(['registry', 'serve', '--root', join(work, 'cli'), '--addr', '127.0.0.1:0', '--policy', join(work, 'bad.yaml')], { timeoutMs: 30_000 });
    assert.notEqual(serve.code, 0);
    assert.match(serve.stderr, /bad\.yaml:5: immutable tag rule "typo" \(immutable_tags\[1\]\): field tags: want a glob of tags/);
    const berthd = join(dirname(BERTH_BIN), 'berthd.js');
    for (const flags of [['--registry-addr', '127.0.0.1:0', '--registry-policy', join(work, 'bad.yaml')], ['--registry-policy', join(work, 'bad.yaml')]]) {
      const daemon = spawn(process.execPath, [berthd, '--root', join(work, 'daemon'), '--socket', join(work, 'berthd.sock'), ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      daemon.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      daemon.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      const code = await new Promise<number | null>((resolve) => daemon.on('close', resolve));
      assert.equal(code, 1, output);
      assert.match(output, flags[0] === '--registry-addr' ? /bad\.yaml:5: immutable tag rule "typo"/ : /--registry-policy needs --registry-addr/);
    }
  });
});
