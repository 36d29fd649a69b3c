import { randomUUID } from 'node:crypto';
import { BERTH_VERSION } from '../../base/version.js';
import type { ImageInventory, InventoryPackage } from './package-types.js';
import { cyclonedxLicenses } from './sbom-licenses.js';

export interface SbomOptions {
  /** When the document was made (injected for reproducible tests). */
  now?: Date;
  /** Serial number / namespace uuid (injected for tests). */
  uuid?: string;
  /** Image id (config digest) when the subject is an image. */
  imageId?: string;
}

function properties(pkg: InventoryPackage): { name: string; value: string }[] {
  const props: { name: string; value: string }[] = [];
  if (pkg.layer) {
    props.push({ name: 'berth:layer:index', value: String(pkg.layer.index) }, { name: 'berth:layer:diff-id', value: pkg.layer.diffId });
  }
  if (pkg.source && pkg.source.name !== pkg.name) props.push({ name: 'berth:source-package', value: `${pkg.source.name} ${pkg.source.version}` });
  for (const loc of pkg.locations) props.push({ name: 'berth:location', value: loc });
  return props;
}

/** A CycloneDX 1.5 JSON BOM of an inventory: one `library` component per package. */
export function toCycloneDx(inventory: ImageInventory, options: SbomOptions = {}): object {
  const subjectRef = 'berth:subject';
  const components = inventory.packages.map((pkg, i) => {
    const component: Record<string, unknown> = { type: 'library', 'bom-ref': `${pkg.purl}#${i}`, name: pkg.name, version: pkg.version, purl: pkg.purl };
    if (pkg.namespace !== undefined) component.group = pkg.namespace;
    const licenses = cyclonedxLicenses(pkg.licenses);
    if (licenses) component.licenses = licenses;
    const props = properties(pkg);
    if (props.length > 0) component.properties = props;
    return component;
  });
  if (inventory.distro) {
    components.unshift({ type: 'operating-system', 'bom-ref': 'berth:os', name: inventory.distro.id, version: inventory.distro.versionId, ...(inventory.distro.prettyName !== undefined && { description: inventory.distro.prettyName }) });
  }
  const subject: Record<string, unknown> = { type: options.imageId !== undefined ? 'container' : 'file', 'bom-ref': subjectRef, name: inventory.subject };
  if (options.imageId !== undefined) subject.version = options.imageId;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${options.uuid ?? randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (options.now ?? new Date()).toISOString(),
      tools: { components: [{ type: 'application', name: 'berth', version: BERTH_VERSION }] },
      component: subject,
    },
    components,
    dependencies: [{ ref: subjectRef, dependsOn: components.map((c) => String(c['bom-ref'])) }],
  };
}
