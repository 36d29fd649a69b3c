// The image operations that both modes implement (in this process on a state root, or through
// berthd), with their options.
import type { GlobalOptions } from '../args/command-spec.js';
import type { CompressionFlags } from './compression-flags.js';

/** The options of the image commands, by command. */
export interface ImageListFlags { quiet?: boolean; all?: boolean; format?: string }
export interface ImageHistoryFlags { trunc: boolean; format?: string }
export interface ImageSaveFlags extends CompressionFlags { output?: string; format: string }
export interface ImageImportFlags { change: string[]; message?: string }

/** The operations both modes implement, with the same output. */
export interface ImageCommands {
  list(globals: GlobalOptions, flags: ImageListFlags): Promise<void>;
  inspect(globals: GlobalOptions, refs: string[]): Promise<void>;
  history(globals: GlobalOptions, ref: string, flags: ImageHistoryFlags): Promise<void>;
  tag(globals: GlobalOptions, source: string, target: string): Promise<void>;
  remove(globals: GlobalOptions, refs: string[], force: boolean): Promise<void>;
  load(globals: GlobalOptions, input: string | undefined, repository: string | undefined): Promise<void>;
  save(globals: GlobalOptions, refs: string[], flags: ImageSaveFlags): Promise<void>;
  import(globals: GlobalOptions, file: string, reference: string | undefined, flags: ImageImportFlags): Promise<void>;
  prune(globals: GlobalOptions, all: boolean): Promise<void>;
  diskUsage(globals: GlobalOptions, format: string | undefined): Promise<void>;
}
