// `@peculiar/x509` set up once, and the key helpers of the cluster's certificates: they live in pki/.
export { BACKDATE_MS, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, importPublicKey, importSigningKey, randomSerial, x509 } from '../../pki/x509.js';
