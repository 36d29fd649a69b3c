// Makes the fuzzer's native addon (@jazzer.js/fuzzer, libFuzzer inside) loadable on Debian 12.
//
// The npm package ships a prebuilt fuzzer-linux-x64.node linked on a newer distribution: it asks
// for glibc 2.38 (only for the C23 aliases __isoc23_strtol / __isoc23_strtoul) and for libstdc++'s
// GLIBCXX_3.4.32 (only for the marker symbol std::ios_base_library_init, which nothing calls).
// Debian 12 has glibc 2.36 and GCC 12's libstdc++, so the shipped file fails to load.
//
// When (and only when) the shipped file does not load, this writes a copy with those two version
// needs marked weak and the two symbols bound to the plain strtol / strtoul of glibc 2.2.5 (the
// C23 variants differ only in also reading a "0b" prefix, which libFuzzer's flag parsing never
// meets). The copy goes to dist/prebuilds/ inside the package, the folder the package's own loader
// looks at first; the shipped file is never changed. The copy is made only from the exact file of
// the pinned version (checked by sha256), and is checked to load before use.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'node_modules', '@jazzer.js', 'fuzzer');
const name = `fuzzer-${process.platform}-${process.arch}.node`;
const shipped = join(pkg, 'prebuilds', name);
const override = join(pkg, 'dist', 'prebuilds', name);
/** sha256 of prebuilds/fuzzer-linux-x64.node in @jazzer.js/fuzzer 4.0.0. */
const KNOWN_SHIPPED = '59ffc0d22ea37c5edcf3d8b9b76b1d964940461a9337d0b14068e378e7703ac9';

function loads(file) {
  const result = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], { encoding: 'utf8' });
  return { ok: result.status === 0, error: result.stderr.split('\n').find((line) => line.startsWith('Error')) ?? result.stderr.trim() };
}

/** ELF64 little-endian sections by name. */
function sections(elf) {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const size = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const all = [];
  for (let i = 0; i < count; i++) {
    const at = shoff + i * size;
    all.push({ nameAt: elf.readUInt32LE(at), offset: Number(elf.readBigUInt64LE(at + 0x18)), size: Number(elf.readBigUInt64LE(at + 0x20)), info: elf.readUInt32LE(at + 0x2c) });
  }
  const names = all[elf.readUInt16LE(0x3e)];
  const byName = new Map();
  for (const s of all) byName.set(cString(elf, names.offset + s.nameAt), s);
  return byName;
}

function cString(buffer, at) {
  return buffer.toString('latin1', at, buffer.indexOf(0, at));
}

/** The patched copy described at the top of this file. */
export function patchAddon(original) {
  const elf = Buffer.from(original);
  const s = sections(elf);
  const dynstr = s.get('.dynstr').offset;
  const verneed = s.get('.gnu.version_r');
  const weaken = new Set(['GLIBC_2.38', 'GLIBCXX_3.4.32']);
  let glibcBase;
  let weakened = 0;
  let need = verneed.offset;
  for (let i = 0; i < verneed.info; i++) {
    const file = cString(elf, dynstr + elf.readUInt32LE(need + 4));
    let aux = need + elf.readUInt32LE(need + 8);
    for (let j = 0; j < elf.readUInt16LE(need + 2); j++) {
      const version = cString(elf, dynstr + elf.readUInt32LE(aux + 8));
      if (weaken.has(version)) {
        elf.writeUInt16LE(elf.readUInt16LE(aux + 4) | 2, aux + 4); // VER_FLG_WEAK
        weakened++;
      }
      if (file === 'libc.so.6' && version === 'GLIBC_2.2.5') glibcBase = elf.readUInt16LE(aux + 6);
      aux += elf.readUInt32LE(aux + 12);
    }
    need += elf.readUInt32LE(need + 12);
  }
  const dynsym = s.get('.dynsym');
  const versym = s.get('.gnu.version').offset;
  let renamed = 0;
  for (let i = 0; i < dynsym.size / 24; i++) {
    const at = dynsym.offset + i * 24;
    const symbol = cString(elf, dynstr + elf.readUInt32LE(at));
    if (symbol === '__isoc23_strtol' || symbol === '__isoc23_strtoul') {
      elf.writeUInt32LE(elf.readUInt32LE(at) + '__isoc23_'.length, at); // the name's tail: strtol / strtoul
      elf.writeUInt16LE(glibcBase, versym + i * 2);
      renamed++;
    }
  }
  if (weakened !== 2 || renamed !== 2 || glibcBase === undefined) throw new Error('fuzzer addon: unexpected layout, not patched');
  return elf;
}

/** Makes sure the fuzzer addon loads here; throws with the reason when it cannot. */
export function ensureFuzzerAddon() {
  if (!existsSync(shipped)) throw new Error(`fuzzer addon: ${shipped} is missing (run npm ci)`);
  const direct = loads(shipped);
  if (direct.ok) {
    rmSync(override, { force: true });
    return 'shipped';
  }
  if (existsSync(override) && loads(override).ok) return 'compat';
  const original = readFileSync(shipped);
  const sum = createHash('sha256').update(original).digest('hex');
  if (sum !== KNOWN_SHIPPED) throw new Error(`fuzzer addon does not load (${direct.error}) and is not the known 4.0.0 build (sha256 ${sum})`);
  mkdirSync(dirname(override), { recursive: true });
  writeFileSync(override, patchAddon(original));
  const patched = loads(override);
  if (!patched.ok) {
    rmSync(override, { force: true });
    throw new Error(`fuzzer addon does not load, even adapted: ${patched.error}`);
  }
  return 'compat';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`fuzzer addon: ${ensureFuzzerAddon()}`);
}
