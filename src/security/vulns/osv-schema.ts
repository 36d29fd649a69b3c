import { z } from 'zod';

/** OSV schema (ossf.github.io/osv-schema), the parts berth reads; unknown fields are kept. */
const eventSchema = z.union([
  z.strictObject({ introduced: z.string().min(1) }),
  z.strictObject({ fixed: z.string().min(1) }),
  z.strictObject({ last_affected: z.string().min(1) }),
  z.strictObject({ limit: z.string().min(1) }),
]);

const rangeSchema = z.looseObject({
  type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
  repo: z.string().optional(),
  events: z.array(eventSchema).min(1),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

const severitySchema = z.looseObject({
  type: z.enum(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']),
  score: z.string().min(1),
});

const affectedSchema = z.looseObject({
  package: z.looseObject({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() }).optional(),
  severity: z.array(severitySchema).optional(),
  ranges: z.array(rangeSchema).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export const osvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: z.string().min(1).max(200),
  modified: z.string().min(1),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  related: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severitySchema).optional(),
  affected: z.array(affectedSchema).optional(),
  references: z.array(z.looseObject({ type: z.string(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = z.infer<typeof affectedSchema>;
export type OsvRange = z.infer<typeof rangeSchema>;
export type OsvEvent = z.infer<typeof eventSchema>;
export type OsvSeverity = z.infer<typeof severitySchema>;
