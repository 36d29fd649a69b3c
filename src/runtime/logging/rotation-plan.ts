/**
 * Docker's rotation of a log file set (daemon/logger/loggerutils/logfile.go): before a message is
 * written, a current file at or over `max-size` is rotated — the oldest kept file is removed, the
 * others move up one number (`x.1` → `x.2`), the current one becomes `x.1` (then `x.1.gz` when
 * compressed) and a new current file starts. So at most `max-file` files exist, each at most one
 * message over `max-size` — except that with `max-file` 1 dockerd 20.10 still moves the current
 * file to `x.1` (replacing the last one) and reads only the current one; berth does the same. Pure.
 */
import type { RotationSettings } from './log-options.js';

/** Whether the current file must be rotated before the next message (Docker: size ≥ max-size). */
export function needsRotation(currentSize: number, settings: RotationSettings): boolean {
  return settings.maxSize >= 0 && currentSize >= settings.maxSize;
}

export type RotationStep =
  | { kind: 'remove'; path: string }
  | { kind: 'rename'; from: string; to: string }
  /** Start the current file afresh (empty). */
  | { kind: 'truncate'; path: string }
  /** Compress `from` into `to` (`from` + `.gz`), then remove `from`. */
  | { kind: 'compress'; from: string; to: string };

/** The steps of one rotation of the set whose current file is `base`, in order. */
export function rotationPlan(base: string, settings: RotationSettings): RotationStep[] {
  if (settings.maxFile < 2) return [{ kind: 'rename', from: base, to: `${base}.1` }, { kind: 'truncate', path: base }];
  const ext = settings.compress ? '.gz' : '';
  const steps: RotationStep[] = [{ kind: 'remove', path: `${base}.${settings.maxFile - 1}${ext}` }];
  for (let i = settings.maxFile - 1; i > 1; i--) steps.push({ kind: 'rename', from: `${base}.${i - 1}${ext}`, to: `${base}.${i}${ext}` });
  steps.push({ kind: 'rename', from: base, to: `${base}.1` });
  steps.push({ kind: 'truncate', path: base });
  if (settings.compress) steps.push({ kind: 'compress', from: `${base}.1`, to: `${base}.1.gz` });
  return steps;
}

/**
 * The files of the set whose current file is named `baseName` that `logs` reads, oldest first,
 * among the names of its directory: `x.N[.gz]` … `x.1[.gz]` (N < max-file), then `x`. When both
 * `x.1` and `x.1.gz` exist (a compression cut short before it removed its source), the plain one counts.
 */
export function filesOfSet(baseName: string, names: readonly string[], maxFile: number): string[] {
  const numbered: { n: number; name: string }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${baseName}.`)) continue;
    const match = /^(\d+)(\.gz)?$/.exec(name.slice(baseName.length + 1));
    if (match === null) continue;
    const n = Number(match[1]);
    if (n >= maxFile) continue;
    if (match[2] !== undefined && names.includes(`${baseName}.${n}`)) continue;
    numbered.push({ n, name });
  }
  numbered.sort((a, b) => b.n - a.n);
  return [...numbered.map((f) => f.name), ...(names.includes(baseName) ? [baseName] : [])];
}
