/**
 * Integer fields of request bodies as dockerd decodes them: each is a Go integer type (int64,
 * uint16, …) and a number it cannot hold — beyond its range, negative for an unsigned type, with
 * a fraction — is refused while decoding, with Go's message naming the struct, the field's path
 * and the value as sent. Bodies come from `parseExactJson`, so a value beyond ±(2^53−1) arrives
 * as a `bigint` with its exact value (the schemas of such fields: `../wire/integers.ts`).
 */
import { errors } from '../base/errors.js';

export type GoIntegerType = 'int' | 'int64' | 'uint' | 'uint16' | 'uint64' | 'time.Duration' | 'fs.FileMode';

/** A Go struct of a body: its type name and its integer fields (nested structs and lists of them too). */
export interface GoStruct {
  readonly type: string;
  readonly fields: Readonly<Record<string, GoField>>;
}
export type GoField = GoIntegerType | GoStruct | { readonly listOf: GoIntegerType | GoStruct };

const INT64: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const RANGES: Readonly<Record<GoIntegerType, readonly [bigint, bigint]>> = {
  int: INT64, int64: INT64, 'time.Duration': INT64,
  uint: [0n, 2n ** 64n - 1n], uint64: [0n, 2n ** 64n - 1n], uint16: [0n, 2n ** 16n - 1n], 'fs.FileMode': [0n, 2n ** 32n - 1n],
};

/** The exact integer of a decoded number, or undefined when it has a fraction (or is not finite). */
function exactInteger(value: number | bigint): bigint | undefined {
  if (typeof value === 'bigint') return value;
  return Number.isInteger(value) ? BigInt(value) : undefined;
}

function checkInteger(value: unknown, type: GoIntegerType, struct: string, path: string): void {
  if (typeof value !== 'number' && typeof value !== 'bigint') return; // other types: the schema's business
  const exact = exactInteger(value);
  const [min, max] = RANGES[type];
  if (exact !== undefined && exact >= min && exact <= max) return;
  throw errors.invalidArgument('invalid-json-number', `json: cannot unmarshal number ${String(value)} into Go struct field ${struct}.${path} of type ${type}`);
}

function checkField(value: unknown, field: GoField, struct: string, path: string): void {
  if (typeof field === 'string') checkInteger(value, field, struct, path);
  else if ('listOf' in field) {
    if (Array.isArray(value)) for (const item of value) checkField(item, field.listOf, struct, path);
  } else checkStruct(value, field, path);
}

function checkStruct(value: unknown, struct: GoStruct, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  // In the body's order, as Go reports the first field it cannot decode.
  for (const [name, item] of Object.entries(value)) {
    const field = Object.hasOwn(struct.fields, name) ? struct.fields[name] : undefined;
    if (field !== undefined && item !== undefined) checkField(item, field, struct.type, path === '' ? name : `${path}.${name}`);
  }
}

/**
 * Refuses a body whose integer fields hold numbers their Go types cannot, with dockerd's decoding
 * message: `json: cannot unmarshal number 9223372036854775808 into Go struct field
 * HostConfig.HostConfig.Memory of type int64` (invalid-argument `invalid-json-number`). Fields
 * absent from `root`, and values that are not numbers, are left to the schema. Pure.
 */
export function checkGoIntegers(body: unknown, root: GoStruct): void {
  checkStruct(body, root, '');
}
