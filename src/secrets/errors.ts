// Errors of the secret store, each naming the path or file at fault and what to do next.
export class SecretError extends Error {
  constructor(
    message: string,
    /** usage: a bad path or argument; not-found: no such secret; denied: out of the service's scope. */
    readonly kind: 'usage' | 'not-found' | 'denied' | 'conflict' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'SecretError';
  }
}
