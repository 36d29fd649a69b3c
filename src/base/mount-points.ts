import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Decodes mountinfo's octal escapes (`\040` for a space, `\011`, `\012`, `\134`). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The mount points in mountinfo text that are `dir` or below it, deepest first (for unmounting). */
export function mountPointsBelow(mountinfo: string, dir: string): string[] {
  const root = resolve(dir);
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map(unescapeMountField)
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** `mountPointsBelow` over this process's /proc/self/mountinfo. */
export async function currentMountPointsBelow(dir: string): Promise<string[]> {
  return mountPointsBelow(await readFile('/proc/self/mountinfo', 'utf8'), dir);
}
