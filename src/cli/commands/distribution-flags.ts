/** The options of `berth pull`, `push` and `login`. */
import type { CompressionFlags } from './compression-flags.js';

export interface PullFlags { platform?: string; quiet?: boolean; allTags?: boolean; insecureRegistry: string[] }
export interface PushFlags extends CompressionFlags { quiet?: boolean; insecureRegistry: string[] }
export interface LoginFlags { username?: string; password?: string; passwordStdin?: boolean; insecureRegistry: string[] }
