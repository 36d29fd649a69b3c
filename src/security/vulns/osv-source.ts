import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { errnoCode, errors, messageOf } from '../../base/errors.js';
import { osvRecordSchema, type OsvRecord } from './osv-schema.js';

/** One OSV JSON file larger than this is refused (real records are a few KiB). */
const MAX_RECORD_BYTES = 16 << 20;

interface RawFile { name: string; text: string }

async function* directoryFiles(dir: string): AsyncGenerator<RawFile> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* directoryFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.json')) {
      const info = await stat(path);
      if (info.size > MAX_RECORD_BYTES) throw errors.invalidArgument('osv-record-too-large', `${path}: ${info.size} bytes, larger than an OSV record can be`);
      yield { name: path, text: await readFile(path, 'utf8') };
    }
  }
}

function zipFiles(path: string): Promise<RawFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) { reject(errors.invalidArgument('osv-archive-invalid', `${path}: not a zip archive: ${err.message}`)); return; }
      const files: RawFile[] = [];
      zip.on('error', (e: Error) => { reject(errors.invalidArgument('osv-archive-invalid', `${path}: ${e.message}`)); });
      zip.on('end', () => { resolve(files); });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json') || entry.fileName.endsWith('/')) { zip.readEntry(); return; }
        if (entry.uncompressedSize > MAX_RECORD_BYTES) { zip.close(); reject(errors.invalidArgument('osv-record-too-large', `${path}!/${entry.fileName} is too large`)); return; }
        zip.openReadStream(entry, (e, stream) => {
          if (e) { reject(errors.invalidArgument('osv-archive-invalid', `${path}!/${entry.fileName}: ${e.message}`)); return; }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => { reject(errors.invalidArgument('osv-archive-invalid', `${path}!/${entry.fileName}: ${se.message}`)); });
          stream.on('end', () => { files.push({ name: `${path}!/${entry.fileName}`, text: Buffer.concat(chunks).toString('utf8') }); zip.readEntry(); });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Reads and validates every OSV record of a directory (recursively, `*.json`) or a zip archive
 * (as OSV publishes them per ecosystem). A file holds one record or an array of records. Any
 * file that is not valid JSON or not a valid record fails the whole read with invalid-argument
 * naming the file and the field, so an import never stores half of a broken set.
 */
export async function readOsvRecords(path: string): Promise<OsvRecord[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw errors.notFound('osv-source-not-found', `${path}: no such directory or zip archive`);
    throw err;
  }
  const files: RawFile[] = [];
  if (info.isDirectory()) for await (const f of directoryFiles(path)) files.push(f);
  else files.push(...(await zipFiles(path)));
  const records: OsvRecord[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(file.text) as unknown;
    } catch (err) {
      problems.push(`${file.name}: not valid JSON (${messageOf(err)})`);
      continue;
    }
    for (const [i, item] of (Array.isArray(json) ? json : [json]).entries()) {
      const parsed = osvRecordSchema.safeParse(item);
      if (parsed.success) {
        records.push(parsed.data);
        continue;
      }
      const issue = parsed.error.issues[0];
      const where = Array.isArray(json) ? `[${i}].` : '';
      problems.push(`${file.name}: field ${where}${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
  }
  if (problems.length > 0) {
    throw errors.invalidArgument('invalid-osv-record', `${problems.length} invalid OSV record file(s), nothing imported: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`, { details: { problems } });
  }
  return records;
}
