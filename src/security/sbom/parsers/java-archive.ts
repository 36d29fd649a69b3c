import yauzl from 'yauzl';
import type { FoundPackage } from '../package-types.js';

/** Entries larger than this are not read (a manifest or pom.properties is a few KiB). */
const MAX_META_BYTES = 1 << 20;
/** Nested archives (Spring Boot's BOOT-INF/lib/*.jar, WEB-INF/lib/*.jar) up to this size are read. */
const MAX_NESTED_BYTES = 64 << 20;
const MAX_DEPTH = 2;

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err) reject(err);
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > limit) { reject(new Error(`${entry.fileName} is larger than ${limit} bytes`)); return; }
    zip.openReadStream(entry, (err, stream) => {
      if (err) { reject(err); return; }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) stream.destroy(new Error(`${entry.fileName} inflates past ${limit} bytes`));
        else chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => { resolve(Buffer.concat(chunks)); });
    });
  });
}

function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m) props.set(m[1] ?? '', (m[2] ?? '').trim());
  }
  return props;
}

function parseManifest(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // the main section ends at the first blank line
    if (line.startsWith(' ') && last !== undefined) { attrs.set(last, `${attrs.get(last) ?? ''}${line.slice(1)}`); continue; }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    attrs.set(last, line.slice(colon + 1).trim());
  }
  return attrs;
}

/**
 * The Maven artifacts in a Java archive: one per `META-INF/maven/<g>/<a>/pom.properties`; when an
 * archive has none, its MANIFEST.MF (Implementation-/Bundle- attributes) names it. Nested archives
 * are read too, up to a depth and size bound. Throws on an archive that is not a valid zip.
 */
export async function parseJavaArchive(buffer: Buffer, path: string, depth = 0): Promise<FoundPackage[]> {
  const zip = await openZip(buffer);
  const found: FoundPackage[] = [];
  let manifest: Map<string, string> | undefined;
  const nested: { name: string; data: Buffer }[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => { resolve(); });
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const work = async (): Promise<void> => {
          if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(name)) {
            const props = parseProperties((await readEntry(zip, entry, MAX_META_BYTES)).toString('utf8'));
            const groupId = props.get('groupId');
            const artifactId = props.get('artifactId');
            const version = props.get('version');
            if (groupId && artifactId && version) found.push({ ecosystem: 'maven', namespace: groupId, name: artifactId, version, licenses: [], locations: [`${path}!/${name}`] });
          } else if (name === 'META-INF/MANIFEST.MF') {
            manifest = parseManifest((await readEntry(zip, entry, MAX_META_BYTES)).toString('utf8'));
          } else if (depth < MAX_DEPTH && /\.(jar|war|ear)$/i.test(name) && entry.uncompressedSize <= MAX_NESTED_BYTES) {
            nested.push({ name, data: await readEntry(zip, entry, MAX_NESTED_BYTES) });
          }
        };
        work().then(() => { zip.readEntry(); }, reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  if (found.length === 0 && manifest !== undefined) {
    const version = manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version');
    const title = manifest.get('Implementation-Title') ?? manifest.get('Bundle-SymbolicName')?.split(';')[0];
    const vendor = manifest.get('Implementation-Vendor-Id') ?? manifest.get('Bundle-SymbolicName')?.split(';')[0]?.split('.').slice(0, -1).join('.');
    if (version && title) found.push({ ecosystem: 'maven', namespace: vendor ?? title, name: title, version, licenses: [], locations: [`${path}!/META-INF/MANIFEST.MF`] });
  }
  for (const inner of nested) {
    try {
      found.push(...(await parseJavaArchive(inner.data, `${path}!/${inner.name}`, depth + 1)));
    } catch {
      // a nested entry that is not a zip is not an archive: nothing to inventory
    }
  }
  return found;
}
