/**
 * An alert's fingerprint as Alertmanager computes it (prometheus/common's LabelSet.Fingerprint):
 * FNV-1a 64 over the label names in sorted order, each name and value followed by a 0xff byte,
 * printed as 16 hex digits. The same labels give the same fingerprint in berth and in Alertmanager.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

export function fingerprintOf(labels: Readonly<Record<string, string>>): string {
  let hash = OFFSET;
  const add = (bytes: Uint8Array | readonly number[]): void => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add([SEPARATOR]);
    add(encoder.encode(labels[name] ?? ''));
    add([SEPARATOR]);
  }
  return hash.toString(16).padStart(16, '0');
}
