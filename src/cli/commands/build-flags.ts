/** The options of `berth build` and `berth commit`. */
import type { CompressionFlags } from './compression-flags.js';

export interface BuildFlags extends CompressionFlags {
  tag: string[];
  file?: string;
  buildArg: string[];
  label: string[];
  target?: string;
  cache: boolean;
  progress: string;
  quiet?: boolean;
  network?: string;
  iidfile?: string;
  secret: string[];
}
export interface CommitFlags {
  change: string[];
  message?: string;
  author?: string;
  pause: string;
}
