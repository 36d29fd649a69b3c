import { z } from 'zod';
import type { FoundPackage } from '../package-types.js';

const licenseField = z.union([z.string(), z.looseObject({ type: z.string() })]).optional();

const packageJsonSchema = z.looseObject({
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(256),
  license: licenseField,
  licenses: z.array(z.looseObject({ type: z.string() })).optional(),
});

const lockEntrySchema = z.looseObject({
  version: z.string().optional(),
  name: z.string().optional(),
  license: licenseField,
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
});

type LockDependency = { version?: string | undefined; dependencies?: Record<string, LockDependency> | undefined };
const lockDependencySchema: z.ZodType<LockDependency> = z.lazy(() => z.looseObject({
  version: z.string().optional(),
  dependencies: z.record(z.string(), lockDependencySchema).optional(),
}));

const lockfileSchema = z.looseObject({
  lockfileVersion: z.number().int().optional(),
  packages: z.record(z.string(), lockEntrySchema).optional(),
  dependencies: z.record(z.string(), lockDependencySchema).optional(),
});

function licensesOf(license: string | { type: string } | undefined, list?: { type: string }[]): string[] {
  if (typeof license === 'string') return [license];
  if (license !== undefined) return [license.type];
  return (list ?? []).map((l) => l.type);
}

function parseJsonText(text: string, path: string, warnings: string[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    warnings.push(`${path}: not valid JSON`);
    return undefined;
  }
}

/** One installed package's `node_modules/<name>/package.json`. */
export function parseNodePackageJson(text: string, path: string, warnings: string[]): FoundPackage[] {
  const json = parseJsonText(text, path, warnings);
  if (json === undefined) return [];
  const parsed = packageJsonSchema.safeParse(json);
  if (!parsed.success) {
    warnings.push(`${path}: not a package manifest (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
    return [];
  }
  return [{ ecosystem: 'npm', name: parsed.data.name, version: parsed.data.version, licenses: licensesOf(parsed.data.license, parsed.data.licenses), locations: [path] }];
}

/**
 * The packages a `package-lock.json` pins: lockfile v2/v3 `packages` (keys `node_modules/…`,
 * the root entry "" is the project itself and is left out; links are skipped), or v1's nested
 * `dependencies`.
 */
export function parsePackageLock(text: string, path: string, warnings: string[]): FoundPackage[] {
  const json = parseJsonText(text, path, warnings);
  if (json === undefined) return [];
  const parsed = lockfileSchema.safeParse(json);
  if (!parsed.success) {
    warnings.push(`${path}: not a package-lock.json (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
    return [];
  }
  const found = new Map<string, FoundPackage>();
  const add = (name: string, version: string | undefined, licenses: string[]): void => {
    if (name === '' || version === undefined || version === '' || found.has(`${name}@${version}`)) return;
    found.set(`${name}@${version}`, { ecosystem: 'npm', name, version, licenses, locations: [path] });
  };
  if (parsed.data.packages !== undefined) {
    for (const [key, entry] of Object.entries(parsed.data.packages)) {
      if (key === '' || entry.link === true) continue;
      const at = key.lastIndexOf('node_modules/');
      add(entry.name ?? (at >= 0 ? key.slice(at + 'node_modules/'.length) : key), entry.version, licensesOf(entry.license));
    }
  } else {
    const walk = (deps: Record<string, LockDependency>): void => {
      for (const [name, dep] of Object.entries(deps)) {
        add(name, dep.version, []);
        if (dep.dependencies) walk(dep.dependencies);
      }
    };
    walk(parsed.data.dependencies ?? {});
  }
  return [...found.values()];
}
