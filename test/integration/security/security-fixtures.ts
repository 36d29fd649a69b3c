import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import AjvDraft04 from 'ajv-draft-04';

/**
 * The repository root: the nearest folder above this file that holds package.json, so that the
 * answer is the same whether the tests run from test/ or from a build's outDir (dist/test/...).
 */
const REPO_ROOT = ((): string => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in a folder above ${start}`);
  }
})();

/** The fixture folder in the source tree (compiled tests run from dist/). */
export const FIXTURES = join(REPO_ROOT, 'test', 'integration', 'security', 'fixtures');

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

/** The SPDX 2.3 JSON schema that spdx23Problems checks documents against, compiled. */
export interface Spdx23Schema {
  /** True for SPDX's official schema, false for the stand-in written from the specification. */
  official: boolean;
  path: string;
  validate: ValidateFunction;
}

let spdx23: Spdx23Schema | undefined;

/**
 * SPDX's official SPDX 2.3 JSON schema (spdx/spdx-spec, schemas/spdx-schema.json), read from the
 * reference schemas kept beside the repository, `<repo>/../shared/schemas/spdx-2.3.schema.json`, or
 * from the folder that BERTH_SHARED_SCHEMAS names; it is never copied into the repository. When the
 * file is missing, the schema written from the specification's field tables
 * (fixtures/spdx-2.3-from-spec.schema.json) stands in, and one warning on stderr says so.
 */
export function spdx23Schema(): Spdx23Schema {
  if (spdx23) return spdx23;
  const shared = process.env.BERTH_SHARED_SCHEMAS;
  const officialPath = join(shared !== undefined && shared !== '' ? resolve(shared) : join(REPO_ROOT, '..', 'shared', 'schemas'), 'spdx-2.3.schema.json');
  const official = existsSync(officialPath);
  const path = official ? officialPath : join(FIXTURES, 'spdx-2.3-from-spec.schema.json');
  if (!official) {
    console.warn(`SPDX 2.3 checks fall back to ${path}: the official schema ${officialPath} is missing (BERTH_SHARED_SCHEMAS names the folder that holds spdx-2.3.schema.json)`);
  }
  // Both compile in strict mode. The official schema (draft-07) uses no formats; the stand-in needs
  // ajv-formats for `uri`, and its if/then/else names required properties only in the branches.
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  spdx23 = { official, path, validate: ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) };
  return spdx23;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
const records = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(record) : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * What the specification's field tables require and the official schema leaves out (it types the
 * fields but sets no pattern and does not require documentNamespace). The clause is in each message.
 */
function spdx23FieldRules(d: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const creation = record(d.creationInfo);
  if (d.spdxVersion !== 'SPDX-2.3') problems.push('/spdxVersion must be SPDX-2.3 (6.1)');
  if (d.dataLicense !== 'CC0-1.0') problems.push('/dataLicense must be CC0-1.0 (6.2)');
  if (d.SPDXID !== 'SPDXRef-DOCUMENT') problems.push('/SPDXID must be SPDXRef-DOCUMENT (6.3)');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^#\s]+$/.test(text(d.documentNamespace))) problems.push('/documentNamespace must be an absolute URI without a # part (6.5)');
  (Array.isArray(creation.creators) ? creation.creators : []).forEach((c: unknown, i) => {
    if (!/^(Person|Organization|Tool): \S/.test(text(c))) problems.push(`/creationInfo/creators/${i} must start with Person: , Organization: or Tool: (6.8)`);
  });
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text(creation.created))) problems.push('/creationInfo/created must match YYYY-MM-DDThh:mm:ssZ (6.9)');
  for (const kind of ['packages', 'files', 'snippets']) {
    records(d[kind]).forEach((element, i) => {
      if (!/^SPDXRef-[A-Za-z0-9.-]+$/.test(text(element.SPDXID))) problems.push(`/${kind}/${i}/SPDXID must match SPDXRef-[idstring] (7.2, 8.2, 9.2)`);
    });
  }
  records(d.packages).forEach((pkg, i) => {
    if (pkg.filesAnalyzed === false && pkg.packageVerificationCode !== undefined) problems.push(`/packages/${i} must omit packageVerificationCode when filesAnalyzed is false (7.9)`);
  });
  records(d.hasExtractedLicensingInfos).forEach((l, i) => {
    if (!/^LicenseRef-[A-Za-z0-9.-]+$/.test(text(l.licenseId))) problems.push(`/hasExtractedLicensingInfos/${i}/licenseId must match LicenseRef-[idstring] (10.1)`);
  });
  return problems;
}

/** The rules no schema states: SPDXIDs unique, references name elements, LicenseRefs are defined. */
function spdx23ReferenceRules(d: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  for (const element of [...records(d.packages), ...records(d.files), ...records(d.snippets)]) {
    const id = text(element.SPDXID);
    if (ids.has(id)) problems.push(`SPDXID ${id} is used twice`);
    ids.add(id);
  }
  const known = (ref: string): boolean => ids.has(ref) || ref === 'NONE' || ref === 'NOASSERTION' || ref.startsWith('DocumentRef-');
  for (const r of records(d.relationships)) {
    for (const ref of [text(r.spdxElementId), text(r.relatedSpdxElement)]) if (!known(ref)) problems.push(`relationship names unknown element ${ref}`);
  }
  for (const ref of Array.isArray(d.documentDescribes) ? d.documentDescribes.map(text) : []) if (!known(ref)) problems.push(`documentDescribes names unknown element ${ref}`);
  const defined = new Set(records(d.hasExtractedLicensingInfos).map((l) => text(l.licenseId)));
  for (const pkg of records(d.packages)) {
    for (const field of ['licenseConcluded', 'licenseDeclared']) {
      for (const ref of text(pkg[field]).match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
        if (!defined.has(ref)) problems.push(`${text(pkg.SPDXID)} ${field} uses ${ref}, which hasExtractedLicensingInfos does not define`);
      }
    }
  }
  return problems;
}

/**
 * Checks an SPDX 2.3 JSON document: ajv against the official schema (see spdx23Schema), then the
 * field formats the specification sets and the schema does not, then the rules a schema cannot
 * state: SPDXIDs unique, every relationship and documentDescribes entry names an element of the
 * document, every LicenseRef used in a licence field is defined in hasExtractedLicensingInfos.
 * Returns the problems (the first five schema errors, then every rule broken).
 */
export function spdx23Problems(doc: unknown): string[] {
  const { validate } = spdx23Schema();
  const problems = validate(doc) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath === '' ? '/' : e.instancePath} ${e.message ?? ''}`);
  const d = record(doc);
  return [...problems, ...spdx23FieldRules(d), ...spdx23ReferenceRules(d)];
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
