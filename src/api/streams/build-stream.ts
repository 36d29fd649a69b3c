/**
 * The answer of `POST /build` as dockerd writes it: JSON messages, one a line, with the 200 and
 * its headers going out with the first message. An error before any message therefore becomes
 * an HTTP error (`the Dockerfile (Dockerfile) cannot be empty`, 400); after it, the stream's last
 * message. Quiet builds hold their progress and write it only when the build fails, before the
 * error. RUN output on stderr is wrapped in the red of Docker's classic builder (`ESC[91m … ESC[0m`).
 */
import type { FastifyReply } from 'fastify';
import type { BuildEvent } from '../../build/builder.js';

const STDERR_START = '\u001b[91m';
const STDERR_END = '\u001b[0m';

/** One build event as the classic builder's `stream` text. */
export function buildEventText(event: BuildEvent): string {
  const text = event.partial === true ? event.text : `${event.text}\n`;
  return event.kind === 'output' && event.stream === 'stderr' ? `${STDERR_START}${text}${STDERR_END}` : text;
}

export class BuildStream {
  #started = false;
  readonly #held: object[] = [];

  constructor(private readonly reply: FastifyReply, private readonly quiet: boolean) {}

  /** A build event: written at once, or held by a quiet build (warnings are always written). */
  event(event: BuildEvent): void {
    const message = { stream: buildEventText(event) };
    if (this.quiet && event.kind !== 'warning') this.#held.push(message);
    else this.write(message);
  }

  /** A message written now (starting the answer if it has not started). */
  write(message: object): void {
    if (!this.#started) {
      void this.reply.hijack();
      this.reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
      this.#started = true;
    }
    this.reply.raw.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * Ends the stream with the failure (after what a quiet build held). Returns false, writing
   * nothing, when nothing was written or held: the caller answers with an HTTP error instead.
   */
  fail(message: string, code: number): boolean {
    if (!this.#started && this.#held.length === 0) return false;
    for (const held of this.#held.splice(0)) this.write(held);
    this.write({ errorDetail: { code, message }, error: message });
    return true;
  }

  /** Ends the answer, if it started. */
  end(): void {
    if (this.#started) this.reply.raw.end();
  }
}
