import { registryError } from '../registry-errors.js';

/** The actions a registry grants on a repository. */
export const ACTIONS = ['pull', 'push', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

/** One access scope: `repository:<name>:<actions>` or `registry:catalog:*`. */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

/**
 * Parses a scope as the Docker token protocol writes it. The name is everything between the
 * first and the last colon (a name never contains a colon, but a registry host:port could).
 * Throws invalid-argument (reason UNSUPPORTED at the edge) when malformed.
 */
export function parseScope(value: string): Scope {
  const first = value.indexOf(':');
  const last = value.lastIndexOf(':');
  if (first <= 0 || last === first || last === value.length - 1) {
    throw registryError('DENIED', `malformed scope "${value}"`);
  }
  const actions = value.slice(last + 1).split(',').map((action) => action.trim()).filter((action) => action !== '');
  return { type: value.slice(0, first), name: value.slice(first + 1, last), actions: [...new Set(actions)] };
}

/** Scopes from one or more `scope` query values, each of which may hold several separated by spaces. */
export function parseScopes(values: string | string[] | undefined): Scope[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  return list.flatMap((value) => value.split(' ')).filter((value) => value !== '').map(parseScope);
}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}

/** Whether `granted` (a token's access claim) covers every action of `needed`. */
export function scopeCovers(granted: readonly Scope[], needed: Scope): boolean {
  const have = new Set(granted.filter((g) => g.type === needed.type && g.name === needed.name).flatMap((g) => g.actions));
  return needed.actions.every((action) => have.has(action) || have.has('*'));
}
