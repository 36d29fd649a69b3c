/**
 * `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="https://auth.docker.io/token",
 * service="registry.docker.io",scope="repository:library/busybox:pull"` or `Basic realm="x"`.
 * A header may hold several challenges; parameter values are tokens or quoted strings.
 */
export interface AuthChallenge {
  /** Lower-cased: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lower-cased. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

export function parseChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let rest = header.trim();
  let current: AuthChallenge | undefined;
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '');
    const word = TOKEN.exec(rest)?.[0];
    if (word === undefined) break;
    const after = rest.slice(word.length).replace(/^\s+/, '');
    if (after.startsWith('=') && current !== undefined) {
      // name=value (a parameter of the current challenge)
      let value = after.slice(1).replace(/^\s+/, '');
      let text = '';
      if (value.startsWith('"')) {
        let i = 1;
        for (; i < value.length && value[i] !== '"'; i++) {
          if (value[i] === '\\' && i + 1 < value.length) i++;
          text += value.charAt(i);
        }
        value = value.slice(i + 1);
      } else {
        text = /^[^\s,]*/.exec(value)?.[0] ?? '';
        value = value.slice(text.length);
      }
      current.params[word.toLowerCase()] = text;
      rest = value;
      continue;
    }
    current = { scheme: word.toLowerCase(), params: {} };
    challenges.push(current);
    rest = after;
    // token68 form (`Negotiate abc==`): keep it as a parameter-less challenge
    const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(rest);
    if (token68 && !rest.slice(token68[0].length).trimStart().startsWith('=')) rest = rest.slice(token68[0].length);
  }
  return challenges;
}
