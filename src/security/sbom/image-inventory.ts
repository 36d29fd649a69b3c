import { normalizeLicenses } from './licenses.js';
import type { FoundPackage, ImageInventory, InventoryPackage, LayerInventory, OsRelease } from './package-types.js';
import { buildPurl } from './purl.js';

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

const keyOf = (p: FoundPackage): string => `${p.ecosystem}\0${p.namespace ?? ''}\0${p.name}\0${p.version}\0${p.arch ?? ''}`;

interface MergedSource { packages: FoundPackage[]; layers: Map<string, number> }

/**
 * What an image holds, from its layers' own inventories, bottom first, as overlayfs shows it:
 * a layer's whiteouts and opaque directories hide what the layers below put there, and a file an
 * upper layer writes again (dpkg's status after `apt-get install`) replaces the lower one. A
 * package keeps the layer that first brought it, as long as no layer in between removed it.
 * With `layered` false (a plain directory) packages carry no layer.
 */
export function mergeLayers(subject: string, layers: LayerInventory[], layered = true): ImageInventory {
  const sources = new Map<string, MergedSource>();
  const copyrights = new Map<string, { pkg: string; licenses: string[] }>();
  const osReleases = new Map<string, OsRelease>();
  const warnings: string[] = [];
  layers.forEach((layer, index) => {
    for (const removed of [...layer.whiteouts, ...layer.opaqueDirs]) {
      for (const map of [sources, copyrights, osReleases] as Map<string, unknown>[]) {
        for (const path of [...map.keys()]) if (under(path, removed)) map.delete(path);
      }
    }
    for (const source of layer.sources) {
      const before = sources.get(source.path);
      const attribution = new Map<string, number>();
      for (const pkg of source.packages) attribution.set(keyOf(pkg), before?.layers.get(keyOf(pkg)) ?? index);
      sources.set(source.path, { packages: source.packages, layers: attribution });
    }
    for (const c of layer.copyrights) copyrights.set(c.path, { pkg: c.pkg, licenses: c.licenses });
    if (layer.osRelease) osReleases.set(layer.osRelease.path, layer.osRelease.value);
    warnings.push(...layer.warnings.map((w) => (layered ? `layer ${index + 1} (${layer.diffId.slice(0, 19)}): ${w}` : w)));
  });
  const distro = osReleases.get('etc/os-release') ?? osReleases.get('usr/lib/os-release');
  const licensesByDeb = new Map<string, string[]>();
  for (const c of copyrights.values()) licensesByDeb.set(c.pkg, c.licenses);
  const seen = new Map<string, InventoryPackage>();
  for (const source of sources.values()) {
    for (const pkg of source.packages) {
      const key = keyOf(pkg);
      const existing = seen.get(key);
      if (existing) {
        for (const loc of pkg.locations) if (!existing.locations.includes(loc)) existing.locations.push(loc);
        continue;
      }
      const licenses = normalizeLicenses(pkg.ecosystem === 'deb' && pkg.licenses.length === 0 ? (licensesByDeb.get(pkg.name) ?? []) : pkg.licenses);
      const item: InventoryPackage = { ...pkg, licenses, locations: [...pkg.locations], purl: buildPurl(pkg, pkg.ecosystem === 'deb' || pkg.ecosystem === 'apk' || pkg.ecosystem === 'rpm' ? distro : undefined) };
      const layerIndex = source.layers.get(key);
      if (layered && layerIndex !== undefined) item.layer = { index: layerIndex, diffId: layers[layerIndex]?.diffId ?? '' };
      seen.set(key, item);
    }
  }
  const packages = [...seen.values()].sort((a, b) => (a.ecosystem + a.name + a.version < b.ecosystem + b.name + b.version ? -1 : 1));
  const inventory: ImageInventory = { subject, packages, warnings };
  if (distro) inventory.distro = distro;
  return inventory;
}
