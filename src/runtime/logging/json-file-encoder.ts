/**
 * conmon's k8s-file records → json-file lines, as dockerd's copier would have logged the same
 * output: a line is one message however many reads conmon needed for it (its partial `P` records
 * are joined), and a line longer than 16 KiB is split into partial messages of 16 KiB (dockerd's
 * buffer). What a stream has of an unfinished line is held back (`pending`, to be checkpointed
 * with the position after it) until its end arrives or the output ends (`flush`). Pure.
 */
import type { LogRecord, LogStream } from '../k8s-file-log.js';
import { encodeJsonLogLine } from './json-file-line.js';

/** dockerd's copier buffer: longer lines become several partial messages. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** The start of an unfinished line of one stream. `timeNs` as decimal text (JSON has no bigint). */
export interface PendingLine {
  timeNs: string;
  text: string;
}

export type PendingLines = Partial<Record<LogStream, PendingLine>>;

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary. */
function prefixOfBytes(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

export class JsonFileEncoder {
  readonly #pending = new Map<LogStream, { timeNs: bigint; text: string }>();

  /** `attrs`: the marshalled attributes of every line (marshalAttributes), if any. */
  constructor(private readonly attrs: string | undefined, pending: PendingLines = {}) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const line = pending[stream];
      if (line !== undefined) this.#pending.set(stream, { timeNs: BigInt(line.timeNs), text: line.text });
    }
  }

  /** The json-file lines one record completes (each with its newline). */
  push(record: LogRecord): string[] {
    const held = this.#pending.get(record.stream);
    // Every message of a line has its first part's time, as dockerd stamps partial messages.
    const timeNs = held?.timeNs ?? record.timeNs;
    let text = (held?.text ?? '') + record.payload;
    const out: string[] = [];
    while (Buffer.byteLength(text) >= MAX_MESSAGE_BYTES) {
      const chunk = prefixOfBytes(text, MAX_MESSAGE_BYTES);
      out.push(this.#line(chunk, record.stream, timeNs));
      text = text.slice(chunk.length);
    }
    if (record.partial) {
      this.#pending.set(record.stream, { timeNs, text });
    } else {
      this.#pending.delete(record.stream);
      out.push(this.#line(`${text}\n`, record.stream, timeNs));
    }
    return out;
  }

  /** Lines for what is held back, as partial messages (the output ended mid-line); clears it. */
  flush(): string[] {
    const held = [...this.#pending.entries()].filter(([, line]) => line.text !== '');
    this.#pending.clear();
    held.sort(([, a], [, b]) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
    return held.map(([stream, line]) => this.#line(line.text, stream, line.timeNs));
  }

  /** What is held back, for the checkpoint. */
  pending(): PendingLines {
    const out: PendingLines = {};
    for (const [stream, line] of this.#pending) out[stream] = { timeNs: line.timeNs.toString(), text: line.text };
    return out;
  }

  #line(log: string, stream: LogStream, timeNs: bigint): string {
    return encodeJsonLogLine({ log, stream, timeNs }, this.attrs);
  }
}
