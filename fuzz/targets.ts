/**
 * The fuzz targets and how each is run (scripts/fuzz.mjs reads this list). `weight` is the
 * target's share of a time box: the richer parsers get more. `sync` targets return no promise.
 */
export interface FuzzTargetSettings {
  name: string;
  sync: boolean;
  /** Largest input the fuzzer makes (bytes). */
  maxLen: number;
  /** An input running longer than this is a finding (a hang). */
  timeoutMs: number;
  weight: number;
}

export const FUZZ_TARGETS: readonly FuzzTargetSettings[] = [
  { name: 'api-query', sync: false, maxLen: 2048, timeoutMs: 5000, weight: 1 },
  { name: 'api-body', sync: true, maxLen: 4096, timeoutMs: 5000, weight: 2 },
  { name: 'layer-tar', sync: false, maxLen: 8192, timeoutMs: 10000, weight: 2 },
  { name: 'build-context', sync: false, maxLen: 8192, timeoutMs: 10000, weight: 1 },
  { name: 'image-archive', sync: false, maxLen: 8192, timeoutMs: 10000, weight: 2 },
  { name: 'oci-documents', sync: true, maxLen: 4096, timeoutMs: 5000, weight: 2 },
  { name: 'dockerfile', sync: true, maxLen: 4096, timeoutMs: 5000, weight: 2 },
  { name: 'dockerignore', sync: true, maxLen: 2048, timeoutMs: 5000, weight: 1 },
  { name: 'registry', sync: false, maxLen: 4096, timeoutMs: 10000, weight: 2 },
  { name: 'engine-options', sync: true, maxLen: 2048, timeoutMs: 5000, weight: 2 },
];
