import type { IncomingMessage } from 'node:http';
import type { LifecycleErrorCode } from './lifecycle-error.js';
import type { AdminMutatingRoutes } from './options.js';

/** A refusal of the admin server, answered as problem+json. */
export interface AdminRefusal {
  status: 401 | 403;
  code: LifecycleErrorCode;
  detail: string;
  headers: Record<string, string>;
}

const BEARER = /^Bearer[ ]+([^ ]+)[ ]*$/i;

/** True for a method that only reads (`GET`, `HEAD`): the probes and Prometheus use only these. */
export function isReadOnlyMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * Decides whether a request may call a mutating admin route, following `adminMutatingRoutes`.
 * The token is compared in constant time: both sides are hashed to SHA-256 digests of equal
 * length first, so neither the length nor a common prefix of the presented token leaks.
 */
export class AdminAccess {
  readonly mode: AdminMutatingRoutes;
  readonly #digest: Buffer | undefined;

  constructor(mode: AdminMutatingRoutes, token: string) {
    this.mode = mode;
    this.#digest = mode === 'token' ? sha256(token) : undefined;
  }

  /** Null when `req` may go on, else the refusal to answer. Read-only methods always go on. */
  check(req: IncomingMessage, method: string): AdminRefusal | null {
    if (isReadOnlyMethod(method) || this.mode === 'open') return null;
    if (this.mode === 'off') {
      return {
        status: 403,
        code: 'KENOS_ERR_LIFECYCLE_ADMIN_FORBIDDEN',
        detail:
          'mutating admin routes are off: configure an admin token (ADMIN_TOKEN in a Kenos service) and send it as "Authorization: Bearer <token>"',
        headers: {},
      };
    }
    const presented = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const digest = this.#digest;
    if (
      presented !== undefined &&
      digest !== undefined &&
      timingSafeEqual(sha256(presented), digest)
    ) {
      return null;
    }
    return {
      status: 401,
      code: 'KENOS_ERR_LIFECYCLE_ADMIN_UNAUTHORIZED',
      detail:
        presented === undefined
          ? 'this admin route needs "Authorization: Bearer <admin token>"'
          : 'the admin bearer token is wrong',
      headers: {
        'www-authenticate': `Bearer realm="kenos-admin"${presented === undefined ? '' : ', error="invalid_token"'}`,
      },
    };
  }
}

// node:crypto through process.getBuiltinModule, loaded only when a token is configured
function sha256(text: string): Buffer {
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha256')
    .update(text, 'utf8')
    .digest();
}

function timingSafeEqual(a: Buffer, b: Buffer): boolean {
  return process.getBuiltinModule('node:crypto').timingSafeEqual(a, b);
}
