import type { AccessConfig } from './access-config.js';
import { ACTIONS, type Action } from './scope.js';

/** Who is asking: an authenticated account name, or nobody. */
export type Account = string | undefined;

const globCache = new Map<string, RegExp>();

/** `*` matches inside one path component, `**` across components; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let cached = globCache.get(glob);
  if (!cached) {
    const source = glob
      .split('**')
      .map((part) => part.split('*').map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
      .join('.*');
    cached = new RegExp(`^${source}$`);
    globCache.set(glob, cached);
  }
  return cached;
}

function matchesAny(globs: readonly string[], repository: string): boolean {
  return globs.some((glob) => globToRegExp(glob).test(repository));
}

/**
 * The actions `account` may take on `repository` under `config`: the union of every rule that
 * names the account (or `*` for any authenticated one) and matches the repository, plus `pull`
 * for anyone where anonymous pull is allowed. Pure.
 */
export function allowedActions(config: AccessConfig, account: Account, repository: string): Set<Action> {
  const allowed = new Set<Action>();
  if (matchesAny(config.anonymous.pull, repository)) allowed.add('pull');
  if (account === undefined) return allowed;
  for (const rule of config.rules) {
    if (!rule.accounts.includes(account) && !rule.accounts.includes('*')) continue;
    if (!matchesAny(rule.repositories, repository)) continue;
    for (const action of rule.actions) {
      if (action === '*') for (const each of ACTIONS) allowed.add(each);
      else allowed.add(action);
    }
  }
  return allowed;
}

/** Whether `account` may take every one of `actions` on `repository`. */
export function isAllowed(config: AccessConfig, account: Account, repository: string, actions: readonly string[]): boolean {
  const allowed = allowedActions(config, account, repository);
  return actions.every((action) => (allowed as Set<string>).has(action));
}
