/**
 * The local terminal for `-t` sessions: raw mode on stdin (restored on every way out), the window
 * size, and SIGWINCH (node's 'resize' on a TTY stdout).
 */

/** Rows and columns of the terminal on stdout, or undefined when stdout is not a terminal. */
export function terminalSize(): [number, number] | undefined {
  const out = process.stdout;
  if (!out.isTTY) return undefined;
  return [out.rows, out.columns];
}

/**
 * Puts stdin in raw mode when it is a terminal (keys go to the container as typed: Ctrl-C is a
 * byte, not a signal). Returns the function that restores it; it also runs at process exit.
 */
export function enterRawMode(): () => void {
  const input = process.stdin;
  if (!input.isTTY) return () => undefined;
  const was = input.isRaw;
  input.setRawMode(true);
  const restore = (): void => {
    process.off('exit', restore);
    if (input.isTTY) input.setRawMode(was);
  };
  process.on('exit', restore);
  return restore;
}

/**
 * Calls `onResize(rows, columns)` now and whenever the terminal on stdout changes size (a 0×0
 * terminal, as under some test harnesses, is not sent); errors of
 * `onResize` are ignored (the process may have ended meanwhile). Returns the function that stops.
 * Does nothing when stdout is not a terminal.
 */
export function followTerminalSize(onResize: (rows: number, columns: number) => Promise<void>): () => void {
  const out = process.stdout;
  if (!out.isTTY) return () => undefined;
  const send = (): void => {
    const size = terminalSize();
    if (size !== undefined && (size[0] > 0 || size[1] > 0)) onResize(...size).catch(() => undefined); // ended meanwhile: nothing to resize (see above)
  };
  send();
  out.on('resize', send);
  return () => { out.off('resize', send); };
}
