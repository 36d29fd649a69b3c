// Access to berthd's API: permissions, roles, the decision, the request → permission map, tokens.
// The role file's parser (role-file.ts, with its YAML library) is not here: berthd loads it only for `--roles`.
export { ALL_PERMISSIONS, RESOURCES, VERBS_OF_RESOURCE, type Permission, type Resource } from './permissions.js';
export { ADMIN, BUILT_IN_ROLES, OPERATOR, VIEWER, roleGrants, type Grant, type Role } from './roles.js';
export { authorize, type AccessRequest, type Decision, type Identity, type ObjectRef, type OptionNeed } from './authorize.js';
export { describeApiRequest, type ApiRequest } from './api-permissions.js';
export { TOKEN_PREFIX, TokenStore, type TokenRecord, type TokenStoreOptions, type TokenView } from './token-store.js';
