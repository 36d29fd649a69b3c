/**
 * What the image commands print, the same in both modes (in-process and through berthd): tables,
 * `--format json` objects, and the lines of rm / load / prune / df.
 */
import { humanSize, relativeTime, renderTable, shortId } from '../format.js';
import { outputFormat, printJson } from '../context.js';
import type { ImageDeleteItem, ImageHistoryRow } from '../../wire/images.js';

/** One image as `image ls --format json` prints it. */
export interface ImageListEntry {
  Id: string;
  /** Familiar names (`busybox:latest`). */
  RepoTags: string[];
  /** Normalized names (`docker.io/library/busybox:latest`). */
  Names: string[];
  /** ISO 8601. */
  Created: string;
  Size: number;
  /** os/architecture[/variant]. */
  Platform: string;
}

function splitTag(familiar: string): [string, string] {
  const colon = familiar.lastIndexOf(':');
  return colon <= familiar.lastIndexOf('/') ? [familiar, '<none>'] : [familiar.slice(0, colon), familiar.slice(colon + 1)];
}

/** One row per name (or one `<none>` row), as `docker images` prints. */
export function imageRows(images: ImageListEntry[], now: Date): string[][] {
  return images.flatMap((image) => {
    const names = image.RepoTags.length > 0 ? image.RepoTags.map(splitTag) : [['<none>', '<none>'] as [string, string]];
    return names.map(([repo, tag]) => [repo, tag, shortId(image.Id), relativeTime(new Date(image.Created), now), humanSize(image.Size)]);
  });
}

/** `image ls`: table, `-q` unique short IDs, or `--format json`. */
export function printImageList(images: ImageListEntry[], flags: { quiet?: boolean; format?: string }): void {
  const format = outputFormat(flags.format);
  if (format === 'json') printJson(images);
  else if (flags.quiet === true) process.stdout.write([...new Set(images.map((i) => shortId(i.Id)))].map((id) => `${id}\n`).join(''));
  else process.stdout.write(`${renderTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], imageRows(images, new Date()))}\n`);
}

/** `image history`: table (truncated unless --no-trunc) or `--format json`. */
export function printHistory(rows: ImageHistoryRow[], flags: { trunc: boolean; format?: string }): void {
  if (outputFormat(flags.format) === 'json') {
    printJson(rows);
    return;
  }
  const now = new Date();
  const table = rows.map((row) => [
    row.Id === '<missing>' || !flags.trunc ? row.Id : shortId(row.Id),
    relativeTime(new Date(row.Created * 1000), now),
    flags.trunc && row.CreatedBy.length > 45 ? `${row.CreatedBy.slice(0, 44)}…` : row.CreatedBy,
    humanSize(row.Size),
    row.Comment,
  ]);
  process.stdout.write(`${renderTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], table)}\n`);
}

/** `Untagged: busybox:latest` / `Deleted: sha256:…` (`untagged:` / `deleted:` lower-case for prune). */
export function removalLines(items: ImageDeleteItem[], prune = false): string {
  return items.map((item) => ('Untagged' in item ? `${prune ? 'untagged' : 'Untagged'}: ${item.Untagged}\n` : `${prune ? 'deleted' : 'Deleted'}: ${item.Deleted}\n`)).join('');
}

/** `image prune`: what was removed and the space reclaimed. */
export function printPrune(removed: ImageDeleteItem[], spaceReclaimed: number): void {
  process.stdout.write(`${removed.length > 0 ? `Deleted Images:\n${removalLines(removed, true)}` : ''}\nTotal reclaimed space: ${humanSize(spaceReclaimed)}\n`);
}

export interface DiskUsageRow {
  Type: string;
  Total: number;
  Active: number;
  Size: number;
  Reclaimable: number;
}

/** `system df`: table, or `--format json` keyed by type (plus `extra` fields). */
export function printDiskUsage(rows: DiskUsageRow[], format: string | undefined, extra: Record<string, number>): void {
  if (outputFormat(format) === 'json') {
    printJson({ ...Object.fromEntries(rows.map((r) => [r.Type, r])), ...extra });
    return;
  }
  const percent = (part: number, whole: number): string => (whole === 0 ? '0B' : `${humanSize(part)} (${Math.round((100 * part) / whole)}%)`);
  const table = rows.map((r) => [r.Type, String(r.Total), String(r.Active), humanSize(r.Size), percent(r.Reclaimable, r.Size)]);
  process.stdout.write(`${renderTable(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], table)}\n`);
}
