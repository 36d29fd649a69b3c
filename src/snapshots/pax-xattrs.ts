/**
 * The xattrs a tar entry carries in its PAX records (as decoded by tar-stream, `unknown` there):
 * `SCHILY.xattr.<name>=<value>` (GNU tar, Docker; the value as text) and
 * `LIBARCHIVE.xattr.<url-encoded name>=<base64 value>` (bsdtar; binary-safe).
 */
export function xattrsFromPax(pax: unknown): [string, Buffer][] {
  if (typeof pax !== 'object' || pax === null) return [];
  const result: [string, Buffer][] = [];
  for (const [key, value] of Object.entries(pax)) {
    if (typeof value !== 'string') continue;
    if (key.startsWith('SCHILY.xattr.')) {
      result.push([key.slice('SCHILY.xattr.'.length), Buffer.from(value, 'utf8')]);
    } else if (key.startsWith('LIBARCHIVE.xattr.')) {
      result.push([decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length)), Buffer.from(value, 'base64')]);
    }
  }
  return result;
}
