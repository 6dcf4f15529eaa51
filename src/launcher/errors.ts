export class LauncherError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'not-found' | 'conflict' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'LauncherError';
  }
}
