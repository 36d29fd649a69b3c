/**
 * How `berth build` shows a build. Plain: every line of the daemon's stream, as the docker CLI's
 * classic builder prints it. TTY: one line per step with its status and time, updated in place;
 * the running step shows its last lines of output beneath it, and they fold away once it is done
 * (a failing step's output stays).
 */
import type { WriteStream } from 'node:tty';

const TAIL_LINES = 6;
const STDERR_START = '\u001b[91m';
const STDERR_END = '\u001b[0m';

/**
 * A `stream` message as one line for the view: without its newline, and without the red the
 * classic builder wraps around a RUN's stderr output (`ESC[91m…ESC[0m`), which would otherwise
 * leave a line of its own.
 */
export function streamLine(stream: string): string {
  const plain = stream.startsWith(STDERR_START) && stream.endsWith(STDERR_END) ? stream.slice(STDERR_START.length, -STDERR_END.length) : stream;
  return plain.replace(/\n$/, '');
}

interface StepView {
  title: string;
  startedAt: number;
  cached: boolean;
  output: string[];
}

export class BuildProgressView {
  private current: StepView | undefined;
  /** Lines drawn below the last finished step (the running step's live region). */
  private drawn = 0;

  /** Redraws the running step so its time moves on while it prints nothing. */
  private readonly ticker: NodeJS.Timeout | undefined;

  constructor(private readonly tty: WriteStream | undefined, private readonly quiet: boolean) {
    if (tty !== undefined && !quiet) {
      this.ticker = setInterval(() => { this.redraw(); }, 250);
      this.ticker.unref();
    }
  }

  line(text: string): void {
    if (this.quiet) return;
    if (this.tty === undefined) {
      process.stderr.write(`${text}\n`);
      return;
    }
    const step = /^Step (\d+\/\d+) : (.*)$/.exec(text);
    if (step) {
      this.settle('done');
      this.current = { title: `[${step[1] ?? ''}] ${step[2] ?? ''}`, startedAt: Date.now(), cached: false, output: [] };
      this.redraw();
      return;
    }
    if (this.current === undefined) {
      this.tty.write(`${text}\n`);
      return;
    }
    if (text === ' ---> Using cache') this.current.cached = true;
    else if (/^ ---> |^Removing intermediate container |^Successfully /.test(text)) return;
    else this.current.output.push(text);
    this.redraw();
  }

  /** The build failed: the step's output stays on screen with the error. */
  fail(message: string): void {
    clearInterval(this.ticker);
    if (this.tty !== undefined) this.settle('failed');
    process.stderr.write(`${this.tty === undefined ? '' : '\x1b[31m'}ERROR: ${message}${this.tty === undefined ? '' : '\x1b[0m'}\n`);
  }

  finish(): void {
    clearInterval(this.ticker);
    if (this.tty !== undefined) this.settle('done');
  }

  private settle(status: 'done' | 'failed'): void {
    const step = this.current;
    if (step === undefined || this.tty === undefined) return;
    this.erase();
    const seconds = ((Date.now() - step.startedAt) / 1000).toFixed(1);
    const mark = status === 'failed' ? '\x1b[31m✗' : step.cached ? '\x1b[36m✓ CACHED' : '\x1b[32m✓';
    this.tty.write(`${mark}\x1b[0m ${step.title} \x1b[2m${seconds}s\x1b[0m\n`);
    if (status === 'failed') for (const out of step.output) this.tty.write(`    ${out}\n`);
    this.current = undefined;
  }

  private erase(): void {
    if (this.tty === undefined || this.drawn === 0) return;
    this.tty.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    const step = this.current;
    if (step === undefined || this.tty === undefined) return;
    this.erase();
    const width = Math.max(20, (this.tty.columns || 80) - 5);
    const seconds = ((Date.now() - step.startedAt) / 1000).toFixed(1);
    const lines = [`\x1b[33m…\x1b[0m ${step.title.slice(0, width)} \x1b[2m${seconds}s\x1b[0m`, ...step.output.slice(-TAIL_LINES).map((l) => `\x1b[2m    ${l.slice(0, width)}\x1b[0m`)];
    this.tty.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
