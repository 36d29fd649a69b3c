/** Human output helpers: tables, sizes and relative times, as the docker CLI prints them. */

/** Decimal units like Docker: 4.26MB, 1.2GB. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))}${units[unit] ?? ''}`;
}

/** "3 minutes ago", "2 days ago", "About an hour ago". */
export function relativeTime(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (then.getTime() <= 0) return 'N/A';
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (seconds < 1) return 'Less than a second ago';
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute ago';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour ago';
  if (hours < 48) return plural(hours, 'hour');
  const days = Math.round(seconds / 86400);
  if (days < 14) return plural(days, 'day');
  if (days < 60) return plural(Math.round(days / 7), 'week');
  if (days < 730) return plural(Math.round(days / 30), 'month');
  return plural(Math.round(days / 365), 'year');
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
