/**
 * Integer fields of request bodies. The daemon reads bodies with `parseExactJson`, so a number
 * beyond ±(2^53−1) arrives as a `bigint` with its exact value; these schemas accept both. A client
 * sends plain numbers.
 */
import { z } from 'zod';

/** The largest magnitude berth holds a limit, size or duration at: 2^53−1. */
const LARGEST = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A checked integer as the engine takes it: exact up to ±(2^53−1); beyond, ±(2^53−1) — 8 PiB,
 * 104 days in nanoseconds, more than any kernel limit, so no limit applied differs. Pure.
 */
export function engineNumber(value: number | bigint): number {
  if (typeof value === 'number') return value;
  if (value > LARGEST) return Number.MAX_SAFE_INTEGER;
  if (value < -LARGEST) return -Number.MAX_SAFE_INTEGER;
  return Number(value);
}

/** A schema for an integer field that keeps its exact value (a `bigint` beyond ±(2^53−1)). */
export const exactIntegerSchema = z.union([z.number().int(), z.bigint()]);
/** A schema for an integer field the engine takes as a number (see `engineNumber`). */
export const integerSchema = exactIntegerSchema.transform(engineNumber);
