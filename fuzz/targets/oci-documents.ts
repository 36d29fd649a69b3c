/**
 * Image documents and names as pulls, loads and imports read them: manifests, indexes and image
 * configs (JSON against the OCI/Docker schemas), image references, digests, platforms, the
 * lineage check on two configs, and `import --change` instructions. The input is
 * `<parser>\n<text>`.
 */
import { digestAlgorithm, digestHex, parseDigest } from '../../src/base/digest.js';
import { applyConfigChanges } from '../../src/images/config-changes.js';
import { descendsFrom, layerIndexOfHistory } from '../../src/oci/image-lineage.js';
import { parseJson } from '../../src/oci/parse-json.js';
import { formatPlatform, hostPlatform, parsePlatform, platformMatches } from '../../src/oci/platform.js';
import { familiarName, formatReference, parseReference, parseTaggedReference } from '../../src/oci/reference.js';
import { imageConfigSchema, indexSchema, manifestSchema, type ImageConfig } from '../../src/oci/schemas.js';
import { fields, select } from '../support/input.js';
import { check, refusing } from '../support/refusal.js';

function config(text: string): ImageConfig | undefined {
  return refusing(() => parseJson(imageConfigSchema, text, 'image config'));
}

const parsers: Record<string, (text: string) => void> = {
  manifest: (text) => {
    refusing(() => parseJson(manifestSchema, text, 'manifest'));
  },
  index: (text) => {
    const index = refusing(() => parseJson(indexSchema, text, 'index'));
    for (const entry of index?.manifests ?? []) platformMatches(hostPlatform(), entry.platform);
  },
  'image-config': (text) => {
    const parsed = config(text);
    if (parsed === undefined) return;
    for (const [i] of (parsed.history ?? []).entries()) layerIndexOfHistory(parsed.history ?? [], i);
    descendsFrom(parsed, parsed);
  },
  lineage: (text) => {
    const [child = '', parent = ''] = fields(text, 2);
    const a = config(child);
    const b = config(parent);
    if (a !== undefined && b !== undefined) descendsFrom(a, b);
  },
  reference: (text) => {
    const ref = refusing(() => parseReference(text));
    if (ref === undefined) return;
    const formatted = formatReference(ref);
    familiarName(formatted);
    const again = refusing(() => parseReference(formatted));
    check(again !== undefined && formatReference(again) === formatted, `normalized reference "${formatted}" does not parse to itself`);
  },
  'tagged-reference': (text) => {
    refusing(() => parseTaggedReference(text));
  },
  digest: (text) => {
    const digest = refusing(() => parseDigest(text));
    if (digest !== undefined) check(`${digestAlgorithm(digest)}:${digestHex(digest)}` === digest, 'digest parts do not rejoin');
  },
  platform: (text) => {
    const platform = parsePlatform(text);
    if (platform !== undefined) formatPlatform(platform);
  },
  'config-changes': (text) => {
    refusing(() => applyConfigChanges({ Env: ['PATH=/bin'], Labels: { a: 'b' } }, text.split('\n')));
  },
};

export function fuzz(data: Buffer): void {
  const { entry, rest } = select(data, parsers);
  entry(rest);
}
