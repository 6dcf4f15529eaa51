// Errors of the API client. Messages name the URL (never the token) and what to do next.

/** The scheduler could not be reached at all. */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: string,
  ) {
    super(`cannot reach the scheduler at ${url}: ${cause}`);
    this.name = 'UnreachableError';
  }
}

/** The scheduler did not connect, or did not answer, in time: which of the two is in the message. */
export class TimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly phase: 'connect' | 'response',
    readonly ms: number,
  ) {
    super(
      phase === 'connect'
        ? `cannot reach the scheduler at ${url}: no connection after ${ms / 1000} s (connect timeout); is the address right and the host up?`
        : `the scheduler at ${url} accepted the connection but sent no answer within ${ms / 1000} s (response timeout); it may be hung (its log: scheduler.log in the service's folder)`,
    );
    this.name = 'TimeoutError';
  }
}

/** The scheduler answered with an unexpected HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(ApiError.describe(status, body, method, url));
    this.name = 'ApiError';
  }

  private static describe(status: number, body: string, method: string, url: string): string {
    if (status === 401) return `${method} ${url}: 401 Unauthorized: bad or missing token (see $SVC_HOME/<service>/token or --token)`;
    const text = body.trim();
    return `${method} ${url}: ${status}${text ? ` ${text}` : ''}`;
  }
}
