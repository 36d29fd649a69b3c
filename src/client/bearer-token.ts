/**
 * The bearer token a client sends berthd (`Authorization: Bearer <token>`, which berthd accepts
 * on the socket and on the TLS listener). Checked here so that a token that cannot be one fails
 * before anything is sent, with a message that names where it came from and never the token.
 */
import { errors } from '../base/errors.js';

/** A token to send, and where it came from (`BERTH_TOKEN`, `--token`), for messages. */
export interface BearerToken {
  readonly value: string;
  readonly from: string;
}

/** What berthd's header parser takes as one token: visible ASCII, no spaces. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * The `Authorization` header value of `token`. Surrounding white space (a newline read from a
 * file) is dropped; invalid-argument (`invalid-token`) naming `token.from`, not the token, when
 * what is left is empty or has spaces or other characters a header cannot carry.
 */
export function authorizationOf(token: BearerToken): string {
  const value = token.value.trim();
  if (value === '') throw errors.invalidArgument('invalid-token', `${token.from} is empty`);
  if (!TOKEN_CHARACTERS.test(value)) throw errors.invalidArgument('invalid-token', `${token.from} is not a bearer token: want one word of visible ASCII characters (berth token create prints one)`);
  return `Bearer ${value}`;
}
