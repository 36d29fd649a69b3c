import type { FoundPackage } from '../package-types.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

function readVarint(buf: Buffer, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < buf.length && shift < 35; i++) {
    const byte = buf[i] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    shift += 7;
  }
  return undefined;
}

function readString(buf: Buffer, offset: number): { text: string; next: number } | undefined {
  const len = readVarint(buf, offset);
  if (len === undefined || len.next + len.value > buf.length) return undefined;
  return { text: buf.toString('utf8', len.next, len.next + len.value), next: len.next + len.value };
}

export interface GoBuildInfo {
  goVersion: string;
  mainPath?: string;
  modules: { path: string; version: string }[];
}

/**
 * The build information the Go linker embeds (since Go 1.18 inline after the 32-byte
 * `\xff Go buildinf:` header, flag bit 2): the Go version, then the module info text with
 * `path`, `mod`, `dep` and `=>` (replacement) lines between two 16-byte sentinels. Binaries of
 * older Go (pointer-based header) give undefined.
 */
export function parseGoBuildInfo(binary: Buffer): GoBuildInfo | undefined {
  let at = binary.indexOf(MAGIC);
  while (at >= 0 && at % 16 !== 0) at = binary.indexOf(MAGIC, at + 1);
  if (at < 0 || at + 32 > binary.length) return undefined;
  const flags = binary[at + 15] ?? 0;
  if ((flags & 2) === 0) return undefined;
  const version = readString(binary, at + 32);
  if (version === undefined) return undefined;
  const modinfo = readString(binary, version.next);
  const info: GoBuildInfo = { goVersion: version.text, modules: [] };
  const text = modinfo !== undefined && modinfo.text.length >= 33 ? modinfo.text.slice(16, -16) : '';
  for (const line of text.split('\n')) {
    const [kind, path, ver] = line.split('\t');
    if (kind === 'path' && path !== undefined) info.mainPath = path;
    else if ((kind === 'mod' || kind === 'dep') && path !== undefined && ver !== undefined) info.modules.push({ path, version: ver });
    else if (kind === '=>' && path !== undefined && ver !== undefined && info.modules.length > 0) info.modules[info.modules.length - 1] = { path, version: ver };
  }
  return info;
}

/** The Go packages of a binary: the standard library (`stdlib`, as OSV names it) and every module. */
export function goPackages(binary: Buffer, path: string): FoundPackage[] {
  const info = parseGoBuildInfo(binary);
  if (info === undefined) return [];
  const stdlib = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion);
  const packages: FoundPackage[] = [];
  if (stdlib) packages.push({ ecosystem: 'golang', name: 'stdlib', version: `v${stdlib[1] ?? ''}`, licenses: [], locations: [path] });
  for (const mod of info.modules) {
    if (mod.version === '(devel)' || mod.version === '') continue;
    packages.push({ ecosystem: 'golang', name: mod.path, version: mod.version, licenses: [], locations: [path] });
  }
  return packages;
}
