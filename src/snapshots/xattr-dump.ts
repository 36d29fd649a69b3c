/**
 * The text format of `getfattr --dump -e hex` and `setfattr --restore`: blocks of `# file: <path>`
 * followed by `name=0x<hex>` lines. Paths are escaped as attr does: bytes outside printable ASCII,
 * and the backslash, as `\ooo` octal.
 */
export type XattrMap = Map<string, Buffer>;

/** Parses a dump into path → (xattr name → value). Paths are returned as written (unescaped). */
export function parseXattrDump(text: string): Map<string, XattrMap> {
  const result = new Map<string, XattrMap>();
  let current: XattrMap | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = new Map();
      result.set(unescapeAttrPath(line.slice('# file: '.length)), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || line.startsWith('#') || eq <= 0) continue;
    current.set(line.slice(0, eq), decodeValue(line.slice(eq + 1)));
  }
  return result;
}

/** Formats path → xattrs as input for `setfattr -h --restore=-`. */
export function formatXattrDump(entries: Iterable<readonly [string, XattrMap]>): string {
  let text = '';
  for (const [path, xattrs] of entries) {
    text += `# file: ${escapeAttrPath(path)}\n`;
    for (const [name, value] of xattrs) text += `${name}=0x${value.toString('hex')}\n`;
    text += '\n';
  }
  return text;
}

export function escapeAttrPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    out += byte > 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function unescapeAttrPath(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const octal = text.slice(i + 1, i + 4);
    if (text[i] === '\\' && /^[0-7]{3}$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeValue(text: string): Buffer {
  if (text.startsWith('0x')) return Buffer.from(text.slice(2), 'hex');
  if (text.startsWith('0s')) return Buffer.from(text.slice(2), 'base64');
  if (text.startsWith('"') && text.endsWith('"')) return Buffer.from(unescapeAttrPath(text.slice(1, -1)), 'utf8');
  return Buffer.from(text, 'utf8');
}
