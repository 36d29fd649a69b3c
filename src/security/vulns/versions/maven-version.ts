/**
 * Maven's ComparableVersion order: the version splits at `.`, `-` and digit/letter changes into
 * numbers, qualifiers and (after `-` or a change) nested lists; trailing "null" items (0, "",
 * ga, final, release) are dropped. Known qualifiers order alpha < beta < milestone < rc (= cr) <
 * snapshot < release < sp; unknown ones come after, alphabetically; a number beats a qualifier.
 */
type Item = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'string', value: ALIASES[v] ?? v };
}

function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index >= 0 ? String(index) : `${QUALIFIERS.length}-${value}`;
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return item.value === '';
  return item.items.length === 0;
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i];
    if (last === undefined) continue;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMavenVersion(version: string): Item {
  const text = version.trim().toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const parseItem = (digit: boolean, s: string, followedByDigit: boolean): Item =>
    digit ? { kind: 'int', value: BigInt(s) } : stringItem(s, followedByDigit);
  const push = (): void => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '.') {
      list.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i), false));
      start = i + 1;
    } else if (c === '-') {
      list.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i), false));
      start = i + 1;
      push();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(text.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i), false));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.push(parseItem(isDigit, text.slice(start), false));
  for (let k = stack.length - 1; k >= 0; k--) normalize(stack[k] ?? []);
  return { kind: 'list', items: root };
}

function compareItem(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareItem(b, undefined);
  if (a.kind === 'int') {
    if (b === undefined) return a.value === 0n ? 0 : 1;
    if (b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return 1;
  }
  if (a.kind === 'string') {
    if (b === undefined || b.kind === 'string') {
      const x = comparableQualifier(a.value);
      const y = comparableQualifier(b === undefined ? '' : b.value);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return -1;
  }
  if (b === undefined) return a.items.length === 0 ? 0 : compareItem(a.items[0], undefined);
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  for (let k = 0; k < Math.max(a.items.length, b.items.length); k++) {
    const c = compareItem(a.items[k], b.items[k]);
    if (c !== 0) return c;
  }
  return 0;
}

export function compareMavenVersions(a: string, b: string): number {
  return compareItem(parseMavenVersion(a), parseMavenVersion(b));
}
