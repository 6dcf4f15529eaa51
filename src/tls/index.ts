export { caCertificate, ensureCa, daysLeft, tlsDir, type Ca } from './ca.js';
export { issueCertificate, keystore, truststore, KEYSTORE_PASSWORD, CERT_DAYS, type CertRequest, type Issued } from './issue.js';
export { TlsError } from './openssl.js';
