export { generateKeyPair, readPrivateKey, type KeyPairFiles } from './private-keys.js';
export { keyId, publicKeyOf, readPublicKey } from './public-keys.js';
export { loadTrustedKeys, readTrustedKeyFile, type TrustedKey } from './trusted-keys.js';
export { loadSigningKey, writeKeyPair } from './signing-key-files.js';
export { ATTESTATION_PREDICATE_TYPES, SIGN_PREDICATE_TYPE, type AttestationType } from './in-toto.js';
export { attestImage, signImage, type SignatureFormat, type Signed } from './image-signer.js';
export { verifyImage, type Verification, type VerifiedSignature, type Wanted } from './image-verifier.js';
export { SignatureChecker, type SignatureFact, type SignatureTarget } from './signature-checker.js';
export { httpSource, type SignatureSource, type SignedSubject, type SourcedManifest } from './signature-source.js';
