/** `--compression` and `--compression-level` of push, save and build. */
import type { CompressionQuery } from '../../client/image-client.js';
import { COMPRESSION_LEVELS, parseCompressionOptions, type CompressionOptions } from '../../wire/compression-options.js';
import type { OptionSpec } from '../args/command-spec.js';

export interface CompressionFlags {
  compression?: string;
  compressionLevel?: string;
}

const { gzip, zstd } = COMPRESSION_LEVELS;

/** The two options; `defaultText` says what the command does without them. */
export function compressionOptionSpecs(defaultText: string): OptionSpec[] {
  return [
    { flags: '--compression <format>', description: `layer compression: gzip, zstd or none (default: ${defaultText})` },
    { flags: '--compression-level <level>', description: `with --compression: gzip ${gzip.min}-${gzip.max} (default ${gzip.default}), zstd ${zstd.min}-${zstd.max} (default ${zstd.default})` },
  ];
}

/** The requested compression, or undefined; throws invalid-argument naming the flag. */
export function compressionOfFlags(flags: CompressionFlags): CompressionOptions | undefined {
  return parseCompressionOptions({ format: flags.compression, level: flags.compressionLevel, formatField: '--compression', levelField: '--compression-level' });
}

/** How the API client sends it. */
export function compressionQuery(options: CompressionOptions | undefined): CompressionQuery {
  if (options === undefined) return {};
  return { compression: options.format, ...(options.level !== undefined && { compressionLevel: options.level }) };
}
