/**
 * Progress of a pull or push, in the shape of Docker's JSON messages (what berthd streams and
 * what the CLI renders): `{"status":"Downloading","id":"a1b2c3d4e5f6","progressDetail":{…}}`.
 */
export interface ProgressMessage {
  status: string;
  /** A layer's short id, or a tag for the opening line. */
  id?: string;
  progressDetail?: { current?: number; total?: number };
}

export type ProgressSink = (message: ProgressMessage) => void;

/** The 12 hex digits Docker shows for a layer. */
export function shortId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
}

/**
 * Byte-count updates of one transfer, at most every `intervalMs` (the first and the last always
 * pass), so a fast download does not flood the stream.
 */
export function byteReporter(sink: ProgressSink | undefined, status: string, id: string, total: number, intervalMs = 100): (current: number) => void {
  let last = 0;
  return (current) => {
    if (sink === undefined) return;
    const now = Date.now();
    if (current < total && now - last < intervalMs) return;
    last = now;
    sink({ status, id, progressDetail: { current, total } });
  };
}
