// Access to berthd's API: permissions, roles, the decision, the request → permission map, tokens.
export { ALL_PERMISSIONS, RESOURCES, VERBS_OF_RESOURCE, type Permission, type Resource } from './permissions.js';
export { ADMIN, BUILT_IN_ROLES, OPERATOR, VIEWER, roleGrants, type Grant, type Role } from './roles.js';
export { parseRoleFile } from './role-file.js';
export { authorize, type AccessRequest, type Decision, type Identity, type ObjectRef, type OptionNeed } from './authorize.js';
export { describeApiRequest, type ApiRequest } from './api-permissions.js';
export { TOKEN_PREFIX, TokenStore, type TokenRecord, type TokenStoreOptions, type TokenView } from './token-store.js';
