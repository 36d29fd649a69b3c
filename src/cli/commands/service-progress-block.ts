/**
 * A block of keyed progress lines written again and again (`service create`'s per-slot lines): on
 * a terminal the block is redrawn in place; otherwise only the lines whose text changed are
 * written, so that logs stay short.
 */
import type { TextSink } from '../progress-renderer.js';

export interface KeyedLine {
  key: string;
  text: string;
}

export class ProgressBlock {
  /** The text last written per key. */
  readonly #shown = new Map<string, string>();
  /** Lines drawn on the terminal by the last render. */
  #drawn = 0;

  constructor(private readonly out: TextSink, private readonly tty: boolean) {}

  render(lines: readonly KeyedLine[]): void {
    if (this.tty) {
      const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
      this.out.write(`${up}${lines.map((l) => `\r\x1b[2K${l.text}\n`).join('')}`);
      this.#drawn = lines.length;
      return;
    }
    const changed = lines.filter((l) => this.#shown.get(l.key) !== l.text);
    for (const line of changed) this.#shown.set(line.key, line.text);
    if (changed.length > 0) this.out.write(changed.map((l) => `${l.text}\n`).join(''));
  }
}
