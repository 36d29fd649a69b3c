/**
 * Layer compression as commands and the API name it (`--compression gzip --compression-level 9`,
 * `?compression=zstd&compression-level=3`): the formats, their levels, and the one parser both
 * sides use. Pure.
 */
import { errors } from '../base/errors.js';

/** How a layer blob is compressed. */
export type LayerCompression = 'gzip' | 'zstd' | 'none';

export const COMPRESSION_FORMATS: readonly LayerCompression[] = ['gzip', 'zstd', 'none'];

/** Levels each format accepts. zstd stops at 19: the `--ultra` levels need windows some decoders refuse. */
export const COMPRESSION_LEVELS: Readonly<Record<'gzip' | 'zstd', { min: number; max: number; default: number }>> = {
  gzip: { min: 1, max: 9, default: 6 },
  zstd: { min: 1, max: 19, default: 3 },
};

/** A requested layer compression; `level` is set for gzip and zstd, never for none. */
export interface CompressionOptions {
  format: LayerCompression;
  level?: number;
}

/** What the user wrote, and the names of the fields it came in (for error messages). */
export interface CompressionInput {
  format: string | undefined;
  level: string | number | undefined;
  /** e.g. `--compression` / `compression` (API query). */
  formatField: string;
  levelField: string;
}

/**
 * Validates a requested compression. No format (and no level) → undefined: the command's default.
 * Throws invalid-argument naming the field for an unknown format, a level that is not an integer,
 * a level out of the format's range, a level for `none`, or a level without a format.
 */
export function parseCompressionOptions(input: CompressionInput): CompressionOptions | undefined {
  const { formatField, levelField } = input;
  const levelText = input.level === undefined || input.level === '' ? undefined : String(input.level);
  if (input.format === undefined || input.format === '') {
    if (levelText !== undefined) throw errors.invalidArgument('compression-level-without-format', `${levelField}: give ${formatField} gzip or zstd with a level`);
    return undefined;
  }
  const format = COMPRESSION_FORMATS.find((f) => f === input.format);
  if (format === undefined) {
    throw errors.invalidArgument('unknown-compression', `${formatField}: unknown compression "${input.format}" (${COMPRESSION_FORMATS.join(', ')})`);
  }
  if (format === 'none') {
    if (levelText !== undefined) throw errors.invalidArgument('compression-level-for-none', `${levelField}: compression none takes no level`);
    return { format };
  }
  const range = COMPRESSION_LEVELS[format];
  if (levelText === undefined) return { format, level: range.default };
  if (!/^-?\d+$/.test(levelText.trim())) throw errors.invalidArgument('invalid-compression-level', `${levelField}: "${levelText}" is not an integer`);
  const level = Number(levelText);
  if (level < range.min || level > range.max) {
    throw errors.invalidArgument('compression-level-out-of-range', `${levelField}: ${format} levels are ${range.min} to ${range.max}, got ${level}`);
  }
  return { format, level };
}

/** berth's query parameters of push, save (`GET /images/get`) and build; the Docker API has neither. */
export const COMPRESSION_PARAM = 'compression';
export const COMPRESSION_LEVEL_PARAM = 'compression-level';

/** The compression parameters of a query as a client sends them (none: the route's default). */
export type CompressionQueryParams = {
  [COMPRESSION_PARAM]?: string | undefined;
  [COMPRESSION_LEVEL_PARAM]?: number | undefined;
};
