import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError } from '../logging/describe-error';
import { DomainError } from './domain-error';
import type { ErrorCode } from './error-catalogue';

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for the framework's own exceptions, so every answer carries one. */
const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'HTTP.BAD_REQUEST',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'HTTP.NOT_FOUND',
  405: 'HTTP.METHOD_NOT_ALLOWED',
  413: 'HTTP.PAYLOAD_TOO_LARGE',
  415: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
};

/** A framework status without a code of its own still answers with a catalogued one. */
const fallbackCode = (status: number): ErrorCode =>
  status >= 500 ? 'INTERNAL' : 'HTTP.BAD_REQUEST';

/** Body-parser failures arrive as plain errors with an HTTP status and a `type`. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message: string;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as BodyParserError).type === 'string' &&
    typeof ((e as BodyParserError).status ?? (e as BodyParserError).statusCode) === 'number'
  );
}

const BODY_PARSER_CODES: Record<string, ErrorCode> = {
  'entity.too.large': 'HTTP.PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'HTTP.MALFORMED_JSON',
  'encoding.unsupported': 'HTTP.UNSUPPORTED_ENCODING',
  'charset.unsupported': 'HTTP.UNSUPPORTED_ENCODING',
  'request.aborted': 'HTTP.REQUEST_ABORTED',
};

/** The one place errors become responses: RFC 9457 problem documents with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = this.toProblem(exception, req.originalUrl ?? req.url);
    // The error's class, code and stack frames; never its raw message or properties, which can
    // quote the request's values (see describeError).
    if (problem.status >= 500) this.logger.error(describeError(exception, true));
    if (res.headersSent) return;
    if (exception instanceof DomainError) res.set(exception.headers);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): Problem {
    // Nest's Express adapter wraps body-parser failures in an HttpException; the cause says which.
    if (exception instanceof HttpException && isBodyParserError(exception.cause)) {
      return this.toProblem(exception.cause, instance);
    }
    if (exception instanceof DomainError) {
      return this.problem(
        exception.status,
        exception.code,
        exception.message,
        instance,
        exception.extra,
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'object' && body !== null && 'message' in body
          ? String(body.message)
          : exception.message;
      return this.problem(status, HTTP_CODES[status] ?? fallbackCode(status), detail, instance);
    }
    if (isBodyParserError(exception)) {
      const status = exception.status ?? exception.statusCode ?? 400;
      const code =
        BODY_PARSER_CODES[exception.type ?? ''] ?? HTTP_CODES[status] ?? 'HTTP.BAD_REQUEST';
      const detail =
        code === 'HTTP.MALFORMED_JSON' ? 'The body is not valid JSON' : exception.message;
      return this.problem(status, code, detail, instance);
    }
    return this.problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'INTERNAL',
      'Something went wrong on our side; it has been logged',
      instance,
    );
  }

  private problem(
    status: number,
    code: ErrorCode,
    detail: string,
    instance: string,
    extra: Record<string, unknown> = {},
  ): Problem {
    return {
      type: `urn:closed-loop:problem:${code.toLowerCase()}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      instance,
      ...extra,
    };
  }
}
