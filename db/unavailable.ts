/**
 * Whether an error means the database is away (restarting, down, unreachable, refusing connections)
 * rather than that the request was wrong: the HTTP edge answers 503 with Retry-After, and the
 * delivery loop and the scheduler wait for it to come back instead of reporting a failure each tick.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  // drizzle wraps the driver's error as `cause`; a few levels are enough.
  for (let e = err as Partial<DriverError> | undefined, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (DRIVER_CODES.has(code) || SOCKET_CODES.has(code)) return true;
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now),
    // 53300 (too many connections); a FATAL error ends the session whatever its code
    // (55000 "database is not currently accepting connections", a failed start-up).
    if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (/^[0-9A-Z]{5}$/.test(code) && (e.severity === 'FATAL' || e.severity === 'PANIC')) return true;
  }
  return false;
}

type DriverError = { code: unknown; severity: unknown; cause: unknown };

/** postgres.js's own codes for a connection it lost or could not make. */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** Node's socket errors on the way to the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
