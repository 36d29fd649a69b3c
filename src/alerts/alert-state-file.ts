/**
 * The alert state's file (`<root>/alerts/state.json`), written whole and atomically (temp file,
 * fsync, rename) after each change, so a crash leaves the previous or the new state. A file that
 * does not parse is set aside as `state.json.damaged` and alerting starts afresh (logged).
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';
import { errnoCode, messageOf } from '../base/errors.js';
import { alertStateSchema, type AlertState } from './alert-state.js';

/** Where the state lives; `load` answers undefined for none. */
export interface AlertStateStore {
  load(): Promise<AlertState | undefined>;
  save(state: AlertState): Promise<void>;
}

export class AlertStateFile implements AlertStateStore {
  readonly path: string;

  constructor(dir: string, private readonly log: (message: string) => void) {
    this.path = join(dir, 'state.json');
  }

  async load(): Promise<AlertState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return alertStateSchema.parse(JSON.parse(text));
    } catch (err) {
      this.log(`alert state ${this.path} is damaged (${messageOf(err)}): set aside, starting afresh`);
      await rename(this.path, `${this.path}.damaged`);
      return undefined;
    }
  }

  save(state: AlertState): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(state), 0o600);
  }
}
