// PostgreSQL's and the network's failures as the store's bilingual errors. The
// detail names the server (host, port, database), never the password.
import { AppError } from '../../../shared/errors';

/** Socket-level failures: the server is not (or no longer) there. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
/** The TLS layer refused the server's certificate. */
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS/;

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

/** True when the connection itself failed, whatever the statement was. */
export function isConnectionFailure(e: unknown): boolean {
  const { code, message } = (e ?? {}) as PgLikeError;
  if (typeof code === 'string') {
    // Class 08: connection exception; 57P01–57P03: the server shutting down or starting; 25P03: the server ended a session idle in its transaction.
    if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '25P03' || NETWORK.has(code)) return true;
  }
  return typeof message === 'string' && /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(message);
}

/** A failure while opening the store: why no connection could be made. */
export function connectError(e: unknown, server: string): unknown {
  const { code, message } = (e ?? {}) as PgLikeError;
  if (code === '28P01' || code === '28000') return new AppError('STORE_LOGIN_REFUSED', server);
  if (code === '3D000') return new AppError('NOT_INITIALISED', server);
  if ((typeof code === 'string' && TLS.test(code)) || (typeof message === 'string' && /SSL|certificate/i.test(message))) {
    return new AppError('STORE_TLS_FAILED', server);
  }
  if (isConnectionFailure(e)) return new AppError('STORE_UNREACHABLE', server);
  return e;
}

/** A failure of a statement on an open store: a lost connection becomes STORE_CONNECTION_LOST. */
export function statementError(e: unknown, server: string): unknown {
  if (isConnectionFailure(e)) return new AppError('STORE_CONNECTION_LOST', server);
  // 55P03: lock_timeout passed waiting for the station's write lock.
  if ((e as PgLikeError | undefined)?.code === '55P03') return new AppError('STORE_BUSY', server);
  return e;
}

/** True for a raw connection failure or one already reported as STORE_CONNECTION_LOST: the connection is unusable. */
export function lostConnection(e: unknown): boolean {
  return isConnectionFailure(e) || (e instanceof AppError && e.code === 'STORE_CONNECTION_LOST');
}

/** `host:port/database` of a connection URL, for error details and logs. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
