// The SPDX 2.3 check the SBOM tests rely on rejects what the specification forbids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageInventory } from '../../../src/security/sbom/package-types.js';
import { toSpdx } from '../../../src/security/sbom/spdx.js';
import { spdx23Problems, spdx23Schema } from './security-fixtures.js';

type Doc = { spdxVersion?: string; documentNamespace?: string; packages: Record<string, unknown>[]; relationships: Record<string, string>[]; creationInfo: Record<string, string>; hasExtractedLicensingInfos?: unknown[] };

const inventory: ImageInventory = { subject: 'demo', warnings: [], packages: [{ name: 'a', version: '1.0.0', ecosystem: 'npm', purl: 'pkg:npm/a@1.0.0', licenses: ['Some Licence'], locations: ['srv/node_modules/a/package.json'] }] };

function problemsAfter(change: (doc: Doc) => void): string[] {
  const doc = structuredClone(toSpdx(inventory, { now: new Date(0), uuid: '00000000-0000-4000-8000-000000000000' })) as Doc;
  change(doc);
  return spdx23Problems(doc);
}

test('berth\'s SPDX document passes; misspelt fields, unknown values and dangling references do not', (t) => {
  const schema = spdx23Schema();
  t.diagnostic(`schema: ${schema.path}${schema.official ? '' : ' (stand-in: the official schema is missing)'}`);
  assert.deepEqual(problemsAfter(() => undefined), []);
  assert.match(problemsAfter((d) => { d.packages[1] = { ...d.packages[1], versoinInfo: '1' }; }).join(), /additional properties/);
  assert.match(problemsAfter((d) => { d.relationships[1] = { ...d.relationships[1], relationshipType: 'HAS' }; }).join(), /allowed values/);
  assert.match(problemsAfter((d) => { delete d.hasExtractedLicensingInfos; }).join(), /LicenseRef-.* which hasExtractedLicensingInfos does not define/);
  assert.match(problemsAfter((d) => { d.packages[1] = { ...d.packages[1], packageVerificationCode: { packageVerificationCodeValue: 'a'.repeat(40) } }; }).join(), /must omit packageVerificationCode when filesAnalyzed is false/);
  assert.match(problemsAfter((d) => { d.creationInfo.created = '2020-01-01T00:00:00.000Z'; }).join(), /\/creationInfo\/created must match/);
  assert.match(problemsAfter((d) => { d.relationships[1] = { ...d.relationships[1], relatedSpdxElement: 'SPDXRef-nope' }; }).join(), /unknown element SPDXRef-nope/);
});

test('a broken document fails the check: missing or mistyped fields, malformed identifiers', () => {
  assert.match(problemsAfter((d) => { delete d.spdxVersion; }).join(), /must have required property 'spdxVersion'/);
  assert.match(problemsAfter((d) => { d.spdxVersion = 'SPDX-2.2'; }).join(), /\/spdxVersion must be SPDX-2.3/);
  assert.match(problemsAfter((d) => { d.packages[1] = { ...d.packages[1], name: 42 }; }).join(), /\/packages\/1\/name must be string/);
  assert.match(problemsAfter((d) => { d.packages[1] = { ...d.packages[1], SPDXID: 'Package_a' }; }).join(), /\/packages\/1\/SPDXID must match/);
  assert.match(problemsAfter((d) => { delete d.documentNamespace; }).join(), /documentNamespace/);
  assert.match(problemsAfter((d) => { d.documentNamespace = 'https://example.com/doc#part'; }).join(), /\/documentNamespace must be an absolute URI/);
  assert.match(problemsAfter((d) => { d.packages.push({ ...d.packages[1] }); }).join(), /SPDXID SPDXRef-Package-npm-a-0 is used twice/);
  assert.notDeepEqual(spdx23Problems('not a document'), []);
});
