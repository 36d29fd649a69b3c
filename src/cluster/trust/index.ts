// The cluster's trust: its CA, node keys and certificates, join tokens, TLS options and files.
export { caDigest, caIssuerInfo, createClusterCa, CA_COMMON_NAME, ETCD_CA_COMMON_NAME, type ClusterCa } from './cluster-ca.js';
export { generateNodeKey, type NodeKey } from './node-key.js';
export { createNodeMaterial } from './node-material.js';
export { identityOf, issueNodeCertificate, readNodeCertificate, type NodeCertificateRequest, type NodeIdentity } from './node-certificate.js';
export { hashJoinSecret, joinSecretMatches, makeJoinToken, newJoinSecret, parseJoinToken, type ParsedJoinToken } from './join-token.js';
export { clientTlsOptions, serverTlsOptions, type ClientTlsOptions, type NodeTlsMaterial, type ServerTlsOptions } from './tls-options.js';
export { tlsFilesIn, writeTlsFiles, type TlsFiles } from './tls-files.js';
export { newDataKey, openSealed, sealData, type DataKey, type SealedValue } from './secret-sealing.js';
