/**
 * berth's query parameters for layer compression, on `POST /images/{name}/push`, `POST /build` and
 * `GET /images/get`: `compression` (gzip, zstd or none) and `compression-level`. The Docker API has
 * neither, so a docker client never sends them and gets each route's default.
 */
import { parseCompressionOptions, type CompressionOptions } from '../images/compression/layer-compression.js';
import { COMPRESSION_LEVEL_PARAM, COMPRESSION_PARAM } from '../wire/compression-options.js';
import { queryString, type Query } from './query.js';

/** The requested compression, or undefined; throws invalid-argument naming the parameter. */
export function queryCompression(query: Query): CompressionOptions | undefined {
  return parseCompressionOptions({
    format: queryString(query, COMPRESSION_PARAM),
    level: queryString(query, COMPRESSION_LEVEL_PARAM),
    formatField: COMPRESSION_PARAM,
    levelField: COMPRESSION_LEVEL_PARAM,
  });
}
