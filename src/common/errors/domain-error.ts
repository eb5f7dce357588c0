import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue';

/**
 * A failure the caller can act on. `code` comes from the catalogue, which also fixes its HTTP
 * status; clients branch on `code`, never on `message`. `extra` adds fields to the problem
 * document (for example `allowedEvents`); `headers` are set on the response (`Retry-After`).
 */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export const domainError = (
  code: ErrorCode,
  message: string,
  extra?: Record<string, unknown>,
  headers?: Record<string, string>,
) => new DomainError(code, message, extra, headers);
