import { randomUUID } from 'node:crypto';
import { BERTH_VERSION } from '../../base/version.js';
import type { SbomOptions } from './cyclonedx.js';
import type { ImageInventory } from './package-types.js';
import { licenseExpression } from './sbom-licenses.js';

const spdxId = (text: string): string => text.replace(/[^A-Za-z0-9.-]+/g, '-');

/** An SPDX 2.3 JSON document of an inventory: the subject package CONTAINS one package each. */
export function toSpdx(inventory: ImageInventory, options: SbomOptions = {}): object {
  const created = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const extracted = new Map<string, string>();
  const subjectId = 'SPDXRef-Subject';
  const packages: Record<string, unknown>[] = [{
    name: inventory.subject,
    SPDXID: subjectId,
    ...(options.imageId !== undefined && { versionInfo: options.imageId }),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: options.imageId !== undefined ? 'CONTAINER' : 'FILE',
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
  }];
  const relationships: Record<string, string>[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectId }];
  inventory.packages.forEach((pkg, i) => {
    const id = `SPDXRef-Package-${spdxId(pkg.ecosystem)}-${spdxId(pkg.name)}-${i}`;
    const license = licenseExpression(pkg.licenses);
    for (const [ref, name] of license?.refs ?? []) extracted.set(ref, name);
    const comments: string[] = [];
    if (pkg.layer) comments.push(`layer ${pkg.layer.index} ${pkg.layer.diffId}`);
    comments.push(...pkg.locations.map((l) => `found in ${l}`));
    packages.push({
      name: pkg.name,
      SPDXID: id,
      versionInfo: pkg.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'LIBRARY',
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: license?.expression ?? 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      ...(pkg.source && pkg.source.name !== pkg.name && { sourceInfo: `built from source package ${pkg.source.name} ${pkg.source.version}` }),
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }],
      comment: comments.join('; '),
    });
    relationships.push({ spdxElementId: subjectId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  });
  const doc: Record<string, unknown> = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: inventory.subject,
    documentNamespace: `https://spdx.org/spdxdocs/berth-${spdxId(inventory.subject)}-${options.uuid ?? randomUUID()}`,
    creationInfo: { created, creators: [`Tool: berth-${BERTH_VERSION}`] },
    documentDescribes: [subjectId],
    packages,
    relationships,
  };
  if (extracted.size > 0) {
    doc.hasExtractedLicensingInfos = [...extracted].map(([licenseId, name]) => ({ licenseId, name, extractedText: `The licence named "${name}" by the package's metadata.` }));
  }
  return doc;
}
