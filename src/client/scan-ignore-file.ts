/**
 * `berth scan --ignore-file`: a YAML or JSON list of advisories to ignore (by id or alias,
 * optionally for one package, until an expiry date), read by the client and applied to the report
 * it gets back, from berthd or from the in-process scanner alike.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errnoCode, errors, messageOf } from '../base/errors.js';
import type { Finding } from '../wire/security.js';

const entrySchema = z.strictObject({
  id: z.string().min(1),
  reason: z.string().optional(),
  /** An ISO date (2025-06-30) or date-time; from then on the entry no longer ignores anything. */
  expires: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date').optional(),
  /** Only for this package name (default: every package). */
  package: z.string().optional(),
});

const listSchema = z.array(entrySchema);
const fileSchema = z.strictObject({ ignore: listSchema });

export type IgnoreEntry = z.infer<typeof entrySchema>;

/** Reads an ignore file: YAML or JSON, a list of entries or `{ignore: [...]}`. */
export async function readIgnoreFile(path: string): Promise<IgnoreEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw errors.notFound('ignore-file-not-found', `ignore file ${path} does not exist`);
    throw err;
  }
  let value: unknown;
  try {
    value = (await import('yaml')).parse(text) as unknown; // YAML is a superset of JSON; loaded here, not at every CLI start
  } catch (err) {
    throw errors.invalidArgument('ignore-file-invalid', `ignore file ${path}: not YAML or JSON: ${messageOf(err)}`);
  }
  const parsed = Array.isArray(value) ? listSchema.safeParse(value) : fileSchema.safeParse(value ?? { ignore: [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.invalidArgument('ignore-file-invalid', `ignore file ${path}: field ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.ignore;
}

/**
 * Marks findings an entry ignores (by advisory id or one of its aliases, optionally one
 * package). Expired entries ignore nothing; they are returned so the caller can say so.
 */
export function applyIgnores(findings: Finding[], entries: IgnoreEntry[], now: Date): { expired: IgnoreEntry[] } {
  const expired = entries.filter((e) => e.expires !== undefined && Date.parse(e.expires) <= now.getTime());
  const active = entries.filter((e) => !expired.includes(e));
  for (const finding of findings) {
    const entry = active.find((e) => (e.id === finding.id || finding.aliases.includes(e.id)) && (e.package === undefined || e.package === finding.package.name));
    if (entry) finding.ignored = { ...(entry.reason !== undefined && { reason: entry.reason }), ...(entry.expires !== undefined && { expires: entry.expires }) };
  }
  return { expired };
}
