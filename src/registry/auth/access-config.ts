import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import { parseJson } from '../../oci/parse-json.js';

const action = z.enum(['pull', 'push', 'delete', '*']);

/**
 * The access control file (`--access-config FILE`, JSON): who may do what to which repositories.
 *
 * - `rules`: each grants `actions` on repositories matching any of `repositories` (globs: `*`
 *   within one path component, `**` across components) to any of `accounts` (htpasswd users,
 *   `robot$<name>` for robot accounts, `*` for any authenticated account). Grants add up.
 * - `anonymous.pull`: repositories anyone may pull without credentials.
 * - `robots`: robot accounts with a bcrypt hash of their secret (they log in as `robot$<name>`).
 * - `token`: lifetime of issued bearer tokens.
 */
export const accessConfigSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        accounts: z.array(z.string().min(1)).min(1),
        repositories: z.array(z.string().min(1)).min(1),
        actions: z.array(action).min(1),
      }),
    )
    .default([]),
  anonymous: z.strictObject({ pull: z.array(z.string().min(1)).default([]) }).default({ pull: [] }),
  robots: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), secretHash: z.string().regex(/^\$2[aby]?\$/) }))
    .default([]),
  token: z.strictObject({ expiresInSeconds: z.number().int().positive().max(86_400).default(300) }).default({ expiresInSeconds: 300 }),
});
export type AccessConfig = z.infer<typeof accessConfigSchema>;

/** Everyone authenticated may do everything; nobody anonymous (htpasswd without a config file). */
export const AUTHENTICATED_ALL: AccessConfig = accessConfigSchema.parse({ rules: [{ accounts: ['*'], repositories: ['**'], actions: ['*'] }] });

/** Reads and validates an access config file; invalid-argument naming the field otherwise. */
export async function loadAccessConfig(path: string): Promise<AccessConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('access-config-unreadable', `cannot read access config ${path}`, { cause });
  }
  return parseJson(accessConfigSchema, text, `access config ${path}`);
}
