/** Reading a user name or password from the terminal (echo off for secrets), or stdin whole. */
import { errors } from '../../base/errors.js';

/** stdin as text, to its end (`--password-stdin`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on stderr and reads one line from the terminal; without a terminal, invalid-argument. */
export function readSecret(question: string, hidden: boolean): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return Promise.reject(errors.invalidArgument('no-terminal', `cannot ask for the ${hidden ? 'password' : 'username'}: stdin is not a terminal (use -u and --password-stdin)`));
  }
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let text = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    const finish = (result: string | undefined): void => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      process.stderr.write('\n');
      if (result === undefined) reject(errors.invalidArgument('login-canceled', 'login canceled'));
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') { finish(text); return; }
        if (char === '\u0003' || char === '\u0004') { finish(undefined); return; }
        if (char === '\u007f' || char === '\b') {
          text = text.slice(0, -1);
          if (!hidden) process.stderr.write('\b \b');
          continue;
        }
        text += char;
        if (!hidden) process.stderr.write(char);
      }
    };
    input.on('data', onData);
  });
}
