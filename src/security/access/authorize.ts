/**
 * The decision: may this identity make this request? Pure: the identity (already authenticated,
 * with its role), the request described as permissions (api-permissions.ts), the object's labels
 * when it has one, and the roles known to berthd.
 */
import type { Permission } from './permissions.js';
import { ALL_PERMISSIONS } from './permissions.js';
import { labelSelectors, roleGrants, type Role } from './roles.js';

/** Who is calling, once authenticated. */
export interface Identity {
  /** How they proved it: the socket's peer credentials, a client certificate, or a bearer token. */
  readonly kind: 'socket' | 'certificate' | 'token';
  /** The uid (`uid 1000`), the certificate's subject CN, or the token's name. */
  readonly name: string;
  readonly role: string;
  /** The socket peer's uid. */
  readonly uid?: number;
  /** Where the request came from: `unix socket (pid 123)`, `tls 10.0.0.5:51234`. */
  readonly source?: string;
}

/** One more permission a request needs because of an option it carries. */
export interface OptionNeed {
  readonly permission: Permission;
  /** What in the request needs it: `privileged`, `a bind mount of /etc`, `pid host`. */
  readonly because: string;
}

export type ObjectRef = { readonly kind: 'container'; readonly ref: string } | { readonly kind: 'exec'; readonly id: string };

/** A request as the permissions it needs. */
export interface AccessRequest {
  /** `POST /containers/create` (method and route). */
  readonly route: string;
  /**
   * `public`: every authenticated caller (ping, version); `unclassified`: a route no permission
   * covers, allowed only to a role with every permission; else the permission of the action.
   */
  readonly needs: Permission | 'public' | 'unclassified';
  readonly options: readonly OptionNeed[];
  /** The existing object the request acts on, whose labels a label-limited grant is checked against. */
  readonly object?: ObjectRef;
  /** The labels of the object being created (a create request's body). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A listing the API can narrow to one label selector (`GET /containers/json`). */
  readonly listing?: boolean;
}

export type Decision =
  /** `onlyLabels`: allowed only narrowed to objects carrying these labels (a label-limited role's listing). */
  | { readonly allowed: true; readonly onlyLabels?: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly permission: string; readonly message: string };

function describe(identity: Identity): string {
  const who = identity.kind === 'socket' ? identity.name : identity.kind === 'certificate' ? `certificate ${identity.name}` : `token ${identity.name}`;
  return `${who} has role ${identity.role}`;
}

/**
 * Allowed when the identity's role grants the request's permission and every option's, on the
 * object's `labels` (undefined when the request has no object; then a label-limited grant does
 * not count, except for a `listing` and a role with one selector for it: allowed, narrowed to
 * that selector). A role that is not in `roles` grants nothing.
 */
export function authorize(identity: Identity, request: AccessRequest, roles: ReadonlyMap<string, Role>, labels: Readonly<Record<string, string>> | undefined): Decision {
  if (request.needs === 'public') return { allowed: true };
  const role = roles.get(identity.role);
  const deny = (permission: string, message: string): Decision => ({ allowed: false, permission, message: `permission denied: ${message} (${describe(identity)}${role === undefined ? ', which is not defined' : ''})` });
  if (request.needs === 'unclassified') {
    if (role !== undefined && ALL_PERMISSIONS.every((permission) => roleGrants(role, permission, undefined))) return { allowed: true };
    return deny('*', `${request.route} requires every permission (admin)`);
  }
  const granted = (permission: Permission): boolean => role !== undefined && roleGrants(role, permission, labels);
  if (!granted(request.needs)) {
    const selectors = role === undefined || request.listing !== true ? [] : labelSelectors(role, request.needs);
    const only = selectors.length === 1 && request.options.length === 0 ? selectors[0] : undefined;
    if (only !== undefined) return { allowed: true, onlyLabels: only };
    return deny(request.needs, `${request.route} requires '${request.needs}'${selectors.length > 1 ? ' (granted only for several label selectors: filter the listing by one)' : ''}`);
  }
  for (const option of request.options) {
    if (!granted(option.permission)) return deny(option.permission, `${request.needs} with ${option.because} requires '${option.permission}'`);
  }
  return { allowed: true };
}
