/**
 * Renders Docker's JSON progress messages (pull, push) as `docker pull` does: on a terminal one
 * line per layer, redrawn in place with a bar; otherwise plain lines, one per status change
 * (byte-count updates are left out, so logs stay short).
 */
import { humanSize } from './format.js';

export interface RenderedMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
}

export interface TextSink {
  write(text: string): unknown;
}

const BAR_WIDTH = 50;

/** `[=====>      ]  1.2MB/3.4MB` (Docker's bar), or the bytes alone when the total is unknown. */
export function progressBar(current: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return humanSize(current);
  const filled = Math.min(BAR_WIDTH, Math.floor((current / total) * BAR_WIDTH));
  const bar = filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled - 1)}`;
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

/** One message as a line (without newline). */
export function messageLine(message: RenderedMessage, withBar: boolean): string {
  const detail = message.progressDetail;
  const bar = withBar && detail?.current !== undefined ? ` ${progressBar(detail.current, detail.total)}` : '';
  const text = `${message.status ?? ''}${bar}`;
  return message.id !== undefined && message.id !== '' ? `${message.id}: ${text}` : text;
}

export class ProgressRenderer {
  /** Line index (from the first line written) of each id's line. */
  private readonly rows = new Map<string, number>();
  private lines = 0;

  constructor(private readonly out: TextSink, private readonly tty: boolean, private readonly columns = 0) {}

  render(message: RenderedMessage): void {
    if (!this.tty) {
      if (message.progressDetail?.current !== undefined) return;
      this.out.write(`${messageLine(message, false)}\n`);
      return;
    }
    const full = messageLine(message, true);
    // A terminal of unknown width (0, as under `script`) gets whole lines.
    const line = this.columns > 20 ? full.slice(0, this.columns - 1) : full;
    const id = message.id;
    const row = id === undefined ? undefined : this.rows.get(id);
    if (row === undefined) {
      if (id !== undefined) this.rows.set(id, this.lines);
      this.lines++;
      this.out.write(`${line}\n`);
      return;
    }
    const up = this.lines - row;
    // up to the layer's line, clear it, write, and back down to the bottom
    this.out.write(`\x1b[${up}A\r\x1b[2K${line}\n${up > 1 ? `\x1b[${up - 1}B` : ''}`);
  }
}
