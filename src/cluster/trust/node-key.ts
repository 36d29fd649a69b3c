/**
 * A node's key pair (ECDSA P-256). The private key never leaves the node: a joining node sends
 * only its public key and gets back a certificate for it (DESIGN §5).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface NodeKey {
  /** PKCS#8 PEM. */
  readonly keyPem: string;
  /** SPKI PEM, what a certificate request carries. */
  readonly publicKeyPem: string;
}

/** A fresh P-256 key pair from the system's randomness. */
export async function generateNodeKey(): Promise<NodeKey> {
  const { privateKey, publicKey } = await generate('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
    publicKeyEncoding: { format: 'pem', type: 'spki' },
  });
  return { keyPem: privateKey, publicKeyPem: publicKey };
}
