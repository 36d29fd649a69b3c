/** Human output helpers: tables, sizes and relative times, as the docker CLI prints them. */
import { humanDuration } from '../base/human-duration.js';

export { humanSize } from '../base/byte-size.js';

/** "3 minutes ago", "2 days ago", "About an hour ago". */
export function relativeTime(then: Date, now: Date): string {
  if (then.getTime() <= 0) return 'N/A';
  return `${humanDuration(now.getTime() - then.getTime())} ago`;
}

/** Left-aligned columns separated by three spaces, header in capitals. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `sha256:abcdef…` → the 12-hex short id Docker shows. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Docker's ellipsis: at most `max` characters, the last one `…` when cut. */
export function ellipsis(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
