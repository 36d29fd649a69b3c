/**
 * Roles: sets of grants. A grant gives verbs on resources, everywhere or only on objects whose
 * labels match its selector (all of its key=value pairs). Built-in roles: `viewer` reads
 * everything but tokens and the audit trail; `operator` runs the lifecycle of containers,
 * services, images, volumes, networks and builds, without exec, attach, cp, checkpoints,
 * privileged options, host mounts or host namespaces; `admin` may do everything.
 */
import { ESCALATING_VERBS, RESOURCES, VERBS_OF_RESOURCE, type Permission, type Resource } from './permissions.js';

export interface Grant {
  readonly resources: readonly Resource[];
  /** Verbs of those resources; `*` for all of them. */
  readonly verbs: readonly string[];
  /** Only objects carrying all these labels (a listing has no object: see `listing` in authorize.ts). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface Role {
  readonly name: string;
  readonly grants: readonly Grant[];
}

const ADMIN_ONLY: ReadonlySet<Resource> = new Set(['tokens', 'audit']);

const verbsOf = (resource: Resource): readonly string[] => VERBS_OF_RESOURCE[resource];

export const VIEWER: Role = {
  name: 'viewer',
  grants: RESOURCES.filter((r) => !ADMIN_ONLY.has(r) && verbsOf(r).includes('read')).map((r) => ({ resources: [r], verbs: ['read'] })),
};

const OPERATED: readonly Resource[] = ['containers', 'images', 'builds', 'volumes', 'networks', 'services'];

export const OPERATOR: Role = {
  name: 'operator',
  grants: [
    ...VIEWER.grants,
    ...OPERATED.map((r) => ({ resources: [r], verbs: verbsOf(r).filter((verb) => verb !== 'read' && !ESCALATING_VERBS.has(verb)) })),
  ],
};

export const ADMIN: Role = { name: 'admin', grants: [{ resources: RESOURCES, verbs: ['*'] }] };

export const BUILT_IN_ROLES: ReadonlyMap<string, Role> = new Map([VIEWER, OPERATOR, ADMIN].map((role) => [role.name, role]));

/** Whether `labels` carry every pair of `selector`. */
function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (labels === undefined) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Whether `role` grants `permission` on an object with `labels` (undefined: no object, e.g. a listing). */
export function roleGrants(role: Role, permission: Permission, labels: Readonly<Record<string, string>> | undefined): boolean {
  const [resource, verb] = permission.split('.') as [Resource, string];
  return role.grants.some((grant) => grant.resources.includes(resource)
    && (grant.verbs.includes('*') || grant.verbs.includes(verb))
    && (grant.labels === undefined || matches(grant.labels, labels)));
}

/** The distinct label selectors of `role`'s label-limited grants of `permission`. */
export function labelSelectors(role: Role, permission: Permission): Readonly<Record<string, string>>[] {
  const [resource, verb] = permission.split('.') as [Resource, string];
  const selectors = new Map<string, Readonly<Record<string, string>>>();
  for (const grant of role.grants) {
    if (grant.labels === undefined || !grant.resources.includes(resource) || !(grant.verbs.includes('*') || grant.verbs.includes(verb))) continue;
    selectors.set(JSON.stringify(Object.entries(grant.labels).sort()), grant.labels);
  }
  return [...selectors.values()];
}
