import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import AjvDraft04 from 'ajv-draft-04';

/** The fixture folder in the source tree (compiled tests run from dist/). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'integration', 'security', 'fixtures');

/** This host's real dpkg status file (Debian 12). */
export function hostDpkgStatus(): string {
  return readFileSync('/var/lib/dpkg/status', 'utf8');
}

/** The official CycloneDX 1.5 JSON schema, as @cyclonedx/cyclonedx-library ships it, compiled by ajv. */
export function cyclonedx15Validator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json'));
  const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'res', 'schema', name), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  // bom-1.5 refers to its companions by these relative names.
  for (const name of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    const schema = load(name);
    delete schema.$id;
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${name}`);
  }
  return ajv.compile(load('bom-1.5.SNAPSHOT.schema.json'));
}

/**
 * Checks an SPDX 2.3 JSON document: ajv against the schema written from the specification's field
 * tables (fixtures/spdx-2.3-from-spec.schema.json), then the rules a schema cannot state: SPDXIDs
 * unique, every relationship and documentDescribes entry names an element of the document, every
 * LicenseRef used in a licence field is defined in hasExtractedLicensingInfos. Returns the problems.
 */
export function spdx23Problems(doc: unknown): string[] {
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'spdx-2.3-from-spec.schema.json'), 'utf8')) as Record<string, unknown>;
  const validate = ajv.compile(schema);
  if (!validate(doc)) return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  const d = doc as { packages?: Record<string, unknown>[]; files?: { SPDXID: string }[]; relationships?: { spdxElementId: string; relatedSpdxElement: string }[]; documentDescribes?: string[]; hasExtractedLicensingInfos?: { licenseId: string }[] };
  const problems: string[] = [];
  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  for (const element of [...(d.packages ?? []), ...(d.files ?? [])]) {
    const id = String(element.SPDXID);
    if (ids.has(id)) problems.push(`SPDXID ${id} is used twice`);
    ids.add(id);
  }
  const known = (ref: string): boolean => ids.has(ref) || ref === 'NONE' || ref === 'NOASSERTION' || ref.startsWith('DocumentRef-');
  for (const r of d.relationships ?? []) {
    for (const ref of [r.spdxElementId, r.relatedSpdxElement]) if (!known(ref)) problems.push(`relationship names unknown element ${ref}`);
  }
  for (const ref of d.documentDescribes ?? []) if (!known(ref)) problems.push(`documentDescribes names unknown element ${ref}`);
  const defined = new Set((d.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId));
  for (const pkg of d.packages ?? []) {
    for (const field of ['licenseConcluded', 'licenseDeclared']) {
      const value = pkg[field];
      for (const ref of (typeof value === 'string' ? value : '').match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
        if (!defined.has(ref)) problems.push(`${String(pkg.SPDXID)} ${field} uses ${ref}, which hasExtractedLicensingInfos does not define`);
      }
    }
  }
  return problems;
}

/** A zip archive with stored (uncompressed) entries: enough to make a jar for the tests. */
export function makeZip(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    const name = Buffer.from(entry.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** A dpkg status paragraph. */
export function dpkgEntry(name: string, version: string, source?: string): string {
  return `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${source !== undefined ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: fixture\n\n`;
}

export const DEBIAN9_OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 9 (stretch)"\nNAME="Debian GNU/Linux"\nVERSION_ID="9"\nID=debian\n';

export function packageLock(deps: Record<string, string>): string {
  return JSON.stringify({
    name: 'app', version: '1.0.0', lockfileVersion: 3,
    packages: { '': { name: 'app', version: '1.0.0' }, ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, license: 'MIT' }])) },
  });
}

/** The official SARIF 2.1.0 JSON schema (draft-04), as @microsoft/jest-sarif ships it, compiled by ajv. */
export function sarif210Validator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
  const schema = JSON.parse(readFileSync(join(dir, 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  // The schema's patterns predate JSON Schema's unicode regular expressions.
  const ajv = new AjvDraft04.default({ strict: false, allErrors: true, logger: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
