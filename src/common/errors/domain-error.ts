/**
 * A failure the caller can act on. `code` is stable and documented; clients branch on it, never
 * on `message`. `extra` adds fields to the problem document (for example `allowedEvents`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 400, message, extra);
export const unauthorized = (code: string, message: string) => new DomainError(code, 401, message);
export const forbidden = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 403, message, extra);
export const notFound = (code: string, message: string) => new DomainError(code, 404, message);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 409, message, extra);
export const preconditionFailed = (
  code: string,
  message: string,
  extra?: Record<string, unknown>,
) => new DomainError(code, 412, message, extra);
export const unprocessable = (code: string, message: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 422, message, extra);
