// The cluster's objects: the public surface of src/cluster/objects/.
export * from './object-meta.js';
export * from './node.js';
export * from './node-attribute.js';
export * from './constraints.js';
export * from './network.js';
export * from './published-port.js';
export * from './network-policy.js';
export * from './service.js';
export * from './secret.js';
export * from './service-spec-validation.js';
export * from './task.js';
export * from './stored-object.js';
