/**
 * Custom roles from a YAML file (`berthd --roles FILE`):
 *
 *   roles:
 *     team-a:
 *       grants:
 *         - resources: [containers]
 *           verbs: [read, create, start, stop, delete, exec]
 *           labels: { team: a }
 *         - resources: [images, volumes]
 *           verbs: [read]
 *
 * Verbs are those of permissions.ts, or `*`. A custom role may not take a built-in role's name.
 * Every error is invalid-argument (reason `invalid-roles-file`) naming the role and the field.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { errors, messageOf } from '../../base/errors.js';
import { isResource, isVerbOf, RESOURCES, type Resource } from './permissions.js';
import { BUILT_IN_ROLES, type Role } from './roles.js';

const ROLE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const grantSchema = z.strictObject({
  resources: z.array(z.string().refine(isResource, { error: (issue) => `unknown resource "${String(issue.input)}" (want one of ${RESOURCES.join(', ')})` })).min(1),
  verbs: z.array(z.string()).min(1),
  labels: z.record(z.string().min(1), z.string()).optional(),
}).superRefine((grant, ctx) => {
  grant.verbs.forEach((verb, index) => {
    if (verb === '*') return;
    const resources = grant.resources.filter(isResource);
    const lacking = resources.filter((resource) => !isVerbOf(resource, verb));
    if (lacking.length > 0) ctx.addIssue({ code: 'custom', path: ['verbs', index], message: `"${verb}" is not a verb of ${lacking.join(', ')}` });
  });
});

const fileSchema = z.strictObject({
  roles: z.record(z.string(), z.strictObject({ grants: z.array(grantSchema).min(1) })),
});

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}

/** The custom roles of a roles file's text; `source` names the file in errors. */
export function parseRoleFile(text: string, source: string): Map<string, Role> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-roles-file', `roles file ${source}: not valid YAML: ${messageOf(cause)}`, { cause });
  }
  const result = fileSchema.safeParse(document ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const where = path[0] === 'roles' && path.length > 1
      ? `role ${String(path[1])}${path.length > 2 ? `: field ${fieldOf(path.slice(2))}` : ''}`
      : `field ${path.length === 0 ? '(document)' : fieldOf(path)}`;
    throw errors.invalidArgument('invalid-roles-file', `roles file ${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const roles = new Map<string, Role>();
  for (const [name, role] of Object.entries(result.data.roles)) {
    if (!ROLE_NAME.test(name)) throw errors.invalidArgument('invalid-roles-file', `roles file ${source}: role ${name}: a name is 1 to 63 of a-z, 0-9, _ . - (starting with a letter or digit)`);
    if (BUILT_IN_ROLES.has(name)) throw errors.invalidArgument('invalid-roles-file', `roles file ${source}: role ${name}: the name of a built-in role`);
    roles.set(name, {
      name,
      grants: role.grants.map((grant) => ({
        resources: grant.resources.filter(isResource) satisfies Resource[],
        verbs: grant.verbs,
        ...(grant.labels === undefined ? {} : { labels: grant.labels }),
      })),
    });
  }
  return roles;
}
