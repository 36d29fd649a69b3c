/**
 * RPM's order (rpmvercmp over `[epoch:]version[-release]`): alphanumeric segments, separators
 * ignored; numeric segments beat alphabetic ones; `~` sorts before anything (even the end),
 * `^` after the end of a version but before any further segment.
 */
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isAlpha = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);
const isAlnum = (ch: string | undefined): boolean => isDigit(ch) || isAlpha(ch);

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** rpmvercmp on one field (version or release). */
export function rpmVerCmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && test(a[i])) i++;
    while (j < b.length && test(b[j])) j++;
    let segA = a.slice(si, i);
    let segB = b.slice(sj, j);
    if (segB.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA < segB ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

interface Evr { epoch: number; version: string; release: string }

export function parseRpmEvr(text: string): Evr {
  const match = /^(?:(\d+):)?(.*?)(?:-([^-]*))?$/.exec(text.trim());
  return { epoch: Number(match?.[1] ?? 0), version: match?.[2] ?? text, release: match?.[3] ?? '' };
}

/** Compares two `[epoch:]version[-release]` strings; a missing release matches any release. */
export function compareRpmVersions(a: string, b: string): number {
  const ea = parseRpmEvr(a);
  const eb = parseRpmEvr(b);
  if (ea.epoch !== eb.epoch) return sign(ea.epoch - eb.epoch);
  const byVersion = rpmVerCmp(ea.version, eb.version);
  if (byVersion !== 0 || ea.release === '' || eb.release === '') return byVersion;
  return rpmVerCmp(ea.release, eb.release);
}
