/** Razorpay answered with its error body: `code`, `description`, `field` and the HTTP status. */
export class RazorpayApiError extends Error {
  override name = 'RazorpayApiError';
  readonly kind = 'api' as const;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly description: string,
    readonly field: string | null = null,
    readonly details: {
      source?: string;
      step?: string;
      reason?: string;
      metadata?: Record<string, unknown>;
    } = {},
  ) {
    super(`Razorpay ${statusCode} ${code}: ${description}${field ? ` (field ${field})` : ''}`);
  }

  /** True for failures worth retrying: rate limiting and server errors. */
  get retryable(): boolean {
    return this.statusCode === 429 || this.statusCode >= 500;
  }
}

/** No usable answer: a timeout, a network failure, or a body that is not what Razorpay sends. */
export class RazorpayTransportError extends Error {
  override name = 'RazorpayTransportError';
  readonly kind = 'transport' as const;
  constructor(
    readonly reason: 'timeout' | 'network' | 'invalid_response',
    message: string,
    readonly statusCode: number | null = null,
  ) {
    super(message);
  }

  /** Timeouts and network failures may succeed on another try; a malformed body will not. */
  get retryable(): boolean {
    return this.reason !== 'invalid_response';
  }
}

/** Every way a gateway call can fail. */
export type RazorpayError = RazorpayApiError | RazorpayTransportError;
