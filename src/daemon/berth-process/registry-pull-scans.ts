/**
 * `vulnerabilities` pull rules of berth's registry: an image manifest is served only when the
 * scanner finds no known vulnerability at or above the rule's severity in its layers, read from
 * the registry's own storage (each layer unpacked once into a scratch directory; layer inventories
 * are cached by diff ID in the scan database, as for the image store). An index is not judged: its
 * platform manifest is, when the client pulls it next. Counts are remembered per manifest digest
 * and database generation, so an image is matched again after an import, and not otherwise.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isDigest, type Digest } from '../../base/digest.js';
import { parseJson } from '../../oci/parse-json.js';
import { INDEX_MEDIA_TYPES } from '../../oci/media-types.js';
import type { PullRequest } from '../../registry/policy/pull-gate.js';
import type { PullRule } from '../../registry/policy/registry-policy.js';
import { severityCounts } from '../../security/rescan/rescan-findings.js';
import type { ScanService } from '../../security/scan-service.js';
import { matchInventory } from '../../security/vulns/matcher.js';
import { SEVERITIES, severityRank, type Severity } from '../../wire/security.js';

const digest = z.string().refine(isDigest, 'not a digest');
const manifestSchema = z.object({ config: z.object({ digest }).loose(), layers: z.array(z.object({ digest }).loose()) }).loose();
const configSchema = z.object({ rootfs: z.object({ diff_ids: z.array(digest) }).loose() }).loose();

const MAX_REMEMBERED = 4096;

type Counts = Record<Severity, number>;

/** The check of one `vulnerabilities` rule; `scanner` opens the scan database on first use. */
export function vulnerabilityCheck(scanner: () => ScanService): (request: PullRequest, rule: Extract<PullRule, { kind: 'vulnerabilities' }>) => Promise<string | undefined> {
  const remembered = new Map<string, Counts>();
  const countsOf = async (request: PullRequest): Promise<Counts> => {
    const scan = scanner();
    const generation = scan.vulns.generation();
    const key = `${request.digest}|${generation}`;
    const known = remembered.get(key);
    if (known !== undefined) return known;
    const stored = await request.storage.manifests.resolve(request.repository, { kind: 'digest', digest: request.digest });
    if (stored === undefined) throw new Error(`${request.repository}@${request.digest} is not in this registry`);
    const manifest = parseJson(manifestSchema, await readFile(stored.path), `manifest ${request.digest}`);
    const config = parseJson(configSchema, await request.storage.content.readBytes(manifest.config.digest), `config ${manifest.config.digest}`);
    if (config.rootfs.diff_ids.length !== manifest.layers.length) throw new Error(`manifest ${request.digest}: ${manifest.layers.length} layers, ${config.rootfs.diff_ids.length} diff IDs`);
    const layers = manifest.layers.map((layer, index) => ({
      diffId: config.rootfs.diff_ids[index] as Digest,
      open: () => Promise.resolve(createReadStream(request.storage.content.path(layer.digest))),
    }));
    const result = await scan.inventories.ofLayers(`${request.repository}@${request.digest}`, layers);
    const counts = severityCounts(matchInventory(result.inventory, scan.vulns));
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
    remembered.set(key, counts);
    return counts;
  };
  return async (request, rule) => {
    if (INDEX_MEDIA_TYPES.includes(request.mediaType)) return undefined;
    const counts = await countsOf(request);
    const floor = severityRank(rule.severity);
    const over = SEVERITIES.filter((level) => severityRank(level) >= floor && counts[level] > 0).reverse();
    const total = over.reduce((sum, level) => sum + counts[level], 0);
    if (total === 0) return undefined;
    const byLevel = over.map((level) => `${counts[level]} ${level}`).join(', ');
    return `${request.repository}@${request.digest}: pull rule "${rule.name}": ${total} known ${total === 1 ? 'vulnerability' : 'vulnerabilities'} at or above ${rule.severity} (${byLevel})`;
  };
}
