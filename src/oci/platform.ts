import { arch } from 'node:os';
import type { Platform } from './schemas.js';

/** The OCI platform of this machine (Go's GOARCH names, as images use them). */
export function hostPlatform(): Platform {
  const table: Record<string, { architecture: string; variant?: string }> = {
    x64: { architecture: 'amd64' },
    arm64: { architecture: 'arm64', variant: 'v8' },
    arm: { architecture: 'arm', variant: 'v7' },
    ia32: { architecture: '386' },
    ppc64: { architecture: 'ppc64le' },
    s390x: { architecture: 's390x' },
    riscv64: { architecture: 'riscv64' },
  };
  return { os: 'linux', ...(table[arch()] ?? { architecture: arch() }) };
}

/** Whether an index entry's platform can run here; a missing variant matches any. */
export function platformMatches(want: Platform, have: Platform | undefined): boolean {
  if (!have) return false;
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  const normalize = (p: Platform) => (p.architecture === 'arm64' && p.variant === undefined ? 'v8' : p.variant);
  return want.variant === undefined || have.variant === undefined || normalize(have) === normalize(want);
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((part) => part !== undefined).join('/');
}

/** Parses `linux/amd64`, `linux/arm64/v8`. */
export function parsePlatform(text: string): Platform | undefined {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) return undefined;
  return { os, architecture, ...(variant !== undefined && { variant }) };
}
