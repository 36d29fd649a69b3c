/** PATH when the image sets none (Docker's default for Linux containers). */
export const DEFAULT_PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The process environment, as Docker builds it: defaults `PATH`, `HOSTNAME`, and `TERM=xterm` when
 * there is a terminal, then the variables of legacy links (`DB_PORT=…`); then the image's Env merged with the user's by key (the user wins; image keys
 * the user did not set follow the user's entries); then that list over the defaults, replacing by
 * key (only the defaults are replaced: duplicates in the merged list stay, as in Docker). An entry
 * without `=` unsets that key. Keys are case-sensitive.
 */
export function containerEnvironment(input: {
  imageEnv: readonly string[] | null | undefined;
  userEnv: readonly string[] | undefined;
  hostname: string;
  tty: boolean;
  /** The variables of the container's legacy links (`--link`), replaced by Env entries of the same key. */
  linkEnv?: readonly string[];
}): string[] {
  const configEnv = mergeImageEnv(input.userEnv ?? [], input.imageEnv ?? []);
  const defaults = [`PATH=${DEFAULT_PATH_ENV}`, `HOSTNAME=${input.hostname}`];
  if (input.tty) defaults.push('TERM=xterm');
  defaults.push(...(input.linkEnv ?? []));
  return replaceOrAppend(defaults, configEnv);
}

function keyOf(entry: string): string {
  const at = entry.indexOf('=');
  return at < 0 ? entry : entry.slice(0, at);
}

function mergeImageEnv(userEnv: readonly string[], imageEnv: readonly string[]): string[] {
  if (userEnv.length === 0) return [...imageEnv];
  const userKeys = new Set(userEnv.map(keyOf));
  return [...userEnv, ...imageEnv.filter((entry) => !userKeys.has(keyOf(entry)))];
}

function replaceOrAppend(defaults: readonly string[], overrides: readonly string[]): string[] {
  const result: (string | undefined)[] = [...defaults];
  const index = new Map<string, number>();
  defaults.forEach((entry, i) => index.set(keyOf(entry), i));
  for (const entry of overrides) {
    const key = keyOf(entry);
    const at = index.get(key);
    if (!entry.includes('=')) {
      if (at !== undefined) result[at] = undefined;
      continue;
    }
    if (at === undefined) result.push(entry);
    else result[at] = entry;
  }
  return result.filter((entry): entry is string => entry !== undefined);
}
