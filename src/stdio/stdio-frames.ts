/**
 * Docker's multiplexed stdio stream (attach, logs and exec of containers without a TTY): each
 * frame is an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr, 3 the daemon's own error),
 * three zero bytes, payload length as big-endian uint32 — followed by the payload. With a TTY the
 * stream is raw instead. Docker's readers (stdcopy) end with the payload as their error on a
 * `systemerr` frame.
 */
export type StdioStream = 'stdin' | 'stdout' | 'stderr';
export type FrameStream = StdioStream | 'systemerr';

const STREAM_IDS: Record<FrameStream, number> = { stdin: 0, stdout: 1, stderr: 2, systemerr: 3 };

export function stdioFrame(stream: FrameStream, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(STREAM_IDS[stream], 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Splits a multiplexed byte stream back into frames (for tests and clients). */
export class StdioFrameReader {
  #buffer = Buffer.alloc(0);

  push(chunk: Buffer): { stream: FrameStream; payload: Buffer }[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: { stream: FrameStream; payload: Buffer }[] = [];
    while (this.#buffer.length >= 8) {
      const size = this.#buffer.readUInt32BE(4);
      if (this.#buffer.length < 8 + size) break;
      const id = this.#buffer.readUInt8(0);
      const stream: FrameStream = id === 3 ? 'systemerr' : id === 2 ? 'stderr' : id === 0 ? 'stdin' : 'stdout';
      frames.push({ stream, payload: this.#buffer.subarray(8, 8 + size) });
      this.#buffer = this.#buffer.subarray(8 + size);
    }
    return frames;
  }
}
