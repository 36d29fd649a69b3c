/**
 * The human text shared by the cluster commands (`node`, `service`, `cluster`): Docker's
 * capitalised states and the aligned `key: value` blocks of `inspect --pretty`. Pure.
 */

/** `ready` → `Ready`, as Docker shows states. */
export function capitalized(word: string): string {
  return word === '' ? '' : `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

/** One line of a pretty block: a value (undefined: left out), `SECTION` for a heading, `RAW` for a line as it is. */
export type PrettyEntry = readonly [string, string | undefined | typeof SECTION | typeof RAW];

/** The value of a heading (`Status:`) whose section's keys follow, indented by one space. */
export const SECTION = null;

/** The value of a line printed as it is, without a colon (` team=a` under a service's `Labels:`). */
export const RAW: unique symbol = Symbol('raw');

/** `label: value` lines with the values aligned, as docker's `--pretty` prints them. */
export function prettyLines(entries: readonly PrettyEntry[]): string {
  const shown = entries.filter((e) => e[1] !== undefined);
  const width = Math.max(0, ...shown.filter(([, v]) => typeof v === 'string').map(([k]) => k.length + 1));
  return shown.map(([key, value]) => (value === RAW ? key : value === SECTION || value === undefined ? `${key}:` : `${`${key}:`.padEnd(width)}  ${value}`.trimEnd())).join('\n');
}

/** A `Labels:` section (none when there are no labels). */
export function labelLines(labels: Record<string, string> | undefined, title = 'Labels'): PrettyEntry[] {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? [] : [[title, SECTION], ...entries.map(([k, v]): PrettyEntry => [` - ${k}`, v])];
}
