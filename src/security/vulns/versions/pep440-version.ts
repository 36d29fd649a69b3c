/**
 * Python's version order (PEP 440): epoch, release (trailing zeros do not count), then
 * dev-only releases < pre-releases (a < b < rc) < the release < post-releases; a dev release sorts
 * before the release it belongs to; a local label (`+…`) sorts after the same public version.
 */
const PEP440 = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

type Key = (number | string)[];

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
const NEG = -Infinity;
const POS = Infinity;

export interface Pep440Key { epoch: number; release: number[]; pre: [number, number]; post: number; dev: number; local: Key }

export function parsePep440(text: string): Pep440Key | undefined {
  const m = PEP440.exec(text.trim().toLowerCase());
  if (m === null) return undefined;
  const release = (m[2] ?? '0').split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const hasPost = m[5] !== undefined || m[6] !== undefined;
  const hasDev = m[8] !== undefined;
  const pre: [number, number] = m[3] !== undefined ? [PRE_RANK[m[3]] ?? 0, Number(m[4] || 0)] : !hasPost && hasDev ? [NEG, 0] : [POS, 0];
  return {
    epoch: Number(m[1] ?? 0),
    release,
    pre,
    post: hasPost ? Number(m[5] ?? (m[7] || 0)) : NEG,
    dev: hasDev ? Number(m[9] || 0) : POS,
    local: m[10] === undefined ? [] : m[10].split(/[-_.]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  };
}

function compareLocal(a: Key, b: Key): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') { if (x !== y) return Math.sign(x - y); continue; }
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const cmp = (x: number, y: number): number => (x === y ? 0 : x < y ? -1 : 1);

export function compareParsedPep440(a: Pep440Key, b: Pep440Key): number {
  if (a.epoch !== b.epoch) return cmp(a.epoch, b.epoch);
  for (let k = 0; k < Math.max(a.release.length, b.release.length); k++) {
    const c = cmp(a.release[k] ?? 0, b.release[k] ?? 0);
    if (c !== 0) return c;
  }
  return cmp(a.pre[0], b.pre[0]) || cmp(a.pre[1], b.pre[1]) || cmp(a.post, b.post) || cmp(a.dev, b.dev) || compareLocal(a.local, b.local);
}

/** Invalid versions sort after valid ones, by string. */
export function comparePep440(a: string, b: string): number {
  const pa = parsePep440(a);
  const pb = parsePep440(b);
  if (pa && pb) return compareParsedPep440(pa, pb);
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
