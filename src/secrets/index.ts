export { SecretStore, MAX_SECRET_BYTES, type SecretInfo } from './store.js';
export { SecretError } from './errors.js';
export { keyFilePath } from './key.js';
export { checkScope, mayRead, serviceSpace, validateSecretPath } from './paths.js';
export { apiCertificate, secretSource, stampSecretVersions } from './source.js';
