/**
 * Field paths (`services.web.ports[0]`) and the error a value check raises for one field. The
 * error keeps the path and the problem as typed properties, so that whoever knows which file the
 * value came from can name the file and the line too (`ComposeFile.locate`), without reading the
 * message back.
 */
import { BerthError } from '../base/errors.js';

export type FieldPath = readonly (string | number)[];

/** A field path as people write it: `services.web.ports[0]`. */
export function fieldName(path: FieldPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`), '');
}

/** invalid-argument `field: problem` for a value of the field at `path`. */
export class FieldValueError extends BerthError {
  constructor(reason: string, readonly path: FieldPath, readonly problem: string) {
    super('invalid-argument', reason, `${fieldName(path)}: ${problem}`, { details: { field: fieldName(path) } });
  }
}
