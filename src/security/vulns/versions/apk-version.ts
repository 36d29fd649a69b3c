/**
 * Alpine's apk order: dot-separated numbers, an optional letter, suffixes (`_alpha` < `_beta` <
 * `_pre` < `_rc` < none < `_cvs` < `_svn` < `_git` < `_hg` < `_p`, each with an optional
 * number), then `-rN`. A number after the first that starts with 0 compares as a decimal fraction.
 */
const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const RELEASE_RANK = SUFFIXES.indexOf('');

interface ApkVersion {
  numbers: string[];
  letter: string;
  suffixes: { rank: number; number: number }[];
  revision: number;
  valid: boolean;
}

export function parseApkVersion(text: string): ApkVersion {
  const match = /^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)(?:-r(\d+))?$/.exec(text.trim());
  if (match === null) return { numbers: [], letter: '', suffixes: [], revision: 0, valid: false };
  const suffixes = [...(match[3] ?? '').matchAll(/_([a-z]+)(\d*)/g)].map((m) => {
    const rank = SUFFIXES.indexOf(m[1] ?? '');
    return { rank: rank < 0 ? RELEASE_RANK : rank, number: Number(m[2] === '' ? 0 : m[2]) };
  });
  return { numbers: (match[1] ?? '').split('.'), letter: match[2] ?? '', suffixes, revision: Number(match[4] ?? 0), valid: true };
}

function compareNumber(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) {
    const x = a.replace(/0+$/, '');
    const y = b.replace(/0+$/, '');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Math.sign(Number(a) - Number(b));
}

export function compareApkVersions(a: string, b: string): number {
  const va = parseApkVersion(a);
  const vb = parseApkVersion(b);
  if (!va.valid || !vb.valid) return va.valid === vb.valid ? (a < b ? -1 : a > b ? 1 : 0) : va.valid ? 1 : -1;
  for (let k = 0; k < Math.min(va.numbers.length, vb.numbers.length); k++) {
    const c = compareNumber(va.numbers[k] ?? '0', vb.numbers[k] ?? '0', k === 0);
    if (c !== 0) return c;
  }
  if (va.numbers.length !== vb.numbers.length) return Math.sign(va.numbers.length - vb.numbers.length);
  if (va.letter !== vb.letter) return va.letter < vb.letter ? -1 : 1;
  for (let k = 0; k < Math.max(va.suffixes.length, vb.suffixes.length); k++) {
    const x = va.suffixes[k] ?? { rank: RELEASE_RANK, number: 0 };
    const y = vb.suffixes[k] ?? { rank: RELEASE_RANK, number: 0 };
    const c = Math.sign(x.rank - y.rank) || Math.sign(x.number - y.number);
    if (c !== 0) return c;
  }
  return Math.sign(va.revision - vb.revision);
}
