import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../base/digest.js';
import type { SignatureTarget } from '../signing/signature-checker.js';
import { imageFacts } from './admission-facts.js';
import type { AdmissionRequest } from './admission-request.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { parsePolicy } from './policy-file.js';
import { gatherSignatures, type SignatureChecks } from './signature-facts.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-signature-facts-'));
after(() => { rmSync(dir, { recursive: true, force: true }); });
writeFileSync(join(dir, 'k.pub'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }));
const POLICY = parsePolicy('rules:\n  - { name: signed-only, kind: signed, mode: enforce, keys: [k.pub] }\n', join(dir, 'p.yaml'));
const signedDigest = digestOf('signed');

/** A checker that verifies `signedDigest` only, recording what it was asked. */
function checker(): SignatureChecks & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    check: (target: SignatureTarget) => {
      asked.push(`${target.domain}/${target.path}@${target.reference}`);
      const ok = target.reference === signedDigest || target.reference === 'v1';
      return Promise.resolve(ok ? { verified: true, digest: signedDigest, detail: 'signed' } : { verified: false, why: 'no signature' });
    },
  };
}

function stored(given: string, names: string[]): AdmissionRequest {
  const request = { operation: 'create' as const, image: imageFacts('Image', given) };
  return { ...request, image: { ...request.image, names } };
}

describe('gatherSignatures', () => {
  it('verifies the registry digest the stored image was pulled as', async () => {
    const c = checker();
    const request = stored('127.0.0.1:5000/app:1', ['127.0.0.1:5000/app:1', `127.0.0.1:5000/app@${signedDigest}`, `other.io/x@${digestOf('x')}`]);
    const facts = await gatherSignatures(c, POLICY.rules, request);
    assert.deepEqual(c.asked, [`127.0.0.1:5000/app@${signedDigest}`]);
    assert.deepEqual(evaluatePolicy(POLICY, { ...request, image: { ...request.image, signatures: facts } }), []);
  });

  it('judges a local name without a registry digest of its repository unsigned, asking nothing', async () => {
    const c = checker();
    const request = stored('127.0.0.1:5000/app:1', ['127.0.0.1:5000/app:1', `127.0.0.1:5000/base@${signedDigest}`]);
    const facts = await gatherSignatures(c, POLICY.rules, request);
    assert.deepEqual(c.asked, []);
    const [violation] = evaluatePolicy(POLICY, { ...request, image: { ...request.image, signatures: facts } });
    assert.equal(violation?.detail, '"127.0.0.1:5000/app:1" is not signed by a key of the rule: has no digest from 127.0.0.1:5000/app (built, loaded or re-tagged on this machine): no signature can name it');
  });

  it('asks the registry about the tag of a pull, and about every registry digest of an image named by id', async () => {
    const pull = checker();
    await gatherSignatures(pull, POLICY.rules, { operation: 'pull', image: imageFacts('fromImage', '127.0.0.1:5000/app:v1') });
    assert.deepEqual(pull.asked, ['127.0.0.1:5000/app@v1']);
    const byId = checker();
    const named = { field: 'Image', given: 'abcd', implicitTag: false, names: [`a.io/x@${digestOf('x')}`, `b.io/y@${signedDigest}`] };
    const facts = await gatherSignatures(byId, POLICY.rules, { operation: 'create', image: named });
    assert.deepEqual(byId.asked, [`a.io/x@${digestOf('x')}`, `b.io/y@${signedDigest}`]);
    assert.equal(facts['signed-only']?.verified, true);
  });

  it('without a fact (no checker), a signed rule is broken', () => {
    const [violation] = evaluatePolicy(POLICY, stored('app:1', []));
    assert.match(violation?.detail ?? '', /not signed by a key of the rule: signatures were not checked here/);
  });
});
