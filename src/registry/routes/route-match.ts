/**
 * Which endpoint family a `/v2/…` path belongs to. Repository names contain slashes (and may
 * contain the words `blobs`, `manifests`…), so the family is found from the END of the path:
 * the last `/manifests/<ref>` wins, as the spec's grammar implies. Pure; names and references are
 * validated by the handlers.
 */
export type RegistryRoute =
  | { family: 'base' }
  | { family: 'catalog' }
  | { family: 'blob'; name: string; digest: string }
  | { family: 'upload'; name: string; id?: string }
  | { family: 'manifest'; name: string; reference: string }
  | { family: 'tags'; name: string }
  | { family: 'referrers'; name: string; digest: string };

const PATTERNS: [RegExp, (m: RegExpExecArray) => RegistryRoute][] = [
  [/^\/v2\/?$/, () => ({ family: 'base' })],
  [/^\/v2\/_catalog$/, () => ({ family: 'catalog' })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ family: 'upload', name: m[1] ?? '' })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ family: 'upload', name: m[1] ?? '', id: m[2] ?? '' })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ family: 'blob', name: m[1] ?? '', digest: m[2] ?? '' })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (m) => ({ family: 'manifest', name: m[1] ?? '', reference: m[2] ?? '' })],
  [/^\/v2\/(.+)\/tags\/list$/, (m) => ({ family: 'tags', name: m[1] ?? '' })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ family: 'referrers', name: m[1] ?? '', digest: m[2] ?? '' })],
];

/** The route of a request path (without query), or undefined for paths outside the spec. */
export function matchRoute(path: string): RegistryRoute | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined; // a malformed escape: no route names it
  }
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(decoded);
    if (match) return build(match);
  }
  return undefined;
}
