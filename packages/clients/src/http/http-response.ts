import type { IncomingHttpHeaders } from 'node:http';
import { ClientsError } from '../clients-error.js';

/** An answer of {@link HttpClient.request}, its body read in full. */
export interface HttpResponse {
  /** The HTTP status (2xx or 3xx: a 4xx/5xx answer is thrown). */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; throws `KENOS_ERR_CLIENTS_MALFORMED_BODY` if it is not JSON. */
  json<T = unknown>(): T;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body's bytes. */
  bytes(): Uint8Array;
}

/** A buffered answer. */
export class BufferedHttpResponse implements HttpResponse {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {}

  json<T = unknown>(): T {
    try {
      return JSON.parse(this.body.toString('utf8')) as T;
    } catch (err) {
      throw new ClientsError(
        'KENOS_ERR_CLIENTS_MALFORMED_BODY',
        `the ${this.status} answer's body is not JSON`,
        {
          cause: err,
          status: this.status,
        },
      );
    }
  }

  text(): string {
    return this.body.toString('utf8');
  }

  bytes(): Uint8Array {
    return this.body;
  }
}
