/**
 * `--sig-proxy` (the default without a TTY): signals the CLI receives are sent to the container, as
 * the docker CLI does, so Ctrl-C stops the program rather than detaching from it.
 */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/**
 * Forwards FORWARDED signals through `send` (e.g. the kill route) until the returned function is
 * called. Failures to send are ignored (the container may be gone).
 */
export function proxySignals(send: (signal: string) => Promise<void>): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    send(signal).catch(() => undefined); // the container may be gone: nothing to signal (the docker CLI only debug-logs it)
  };
  for (const signal of FORWARDED) process.on(signal, handler);
  return () => {
    for (const signal of FORWARDED) process.off(signal, handler);
  };
}
