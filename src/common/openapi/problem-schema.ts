import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CATALOGUE, ERROR_CODES } from '../errors/error-catalogue';

const PROBLEM_REF = '#/components/schemas/Problem';

/**
 * Every operation can fail, and every failure is one problem+json shape whose `code` is from the
 * catalogue; the document says so once here instead of on each handler.
 */
export function addProblemSchema(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    description: 'RFC 9457 problem details. Branch on `code`; `detail` is for people.',
    required: ['type', 'title', 'status', 'code', 'detail', 'instance'],
    properties: {
      type: { type: 'string', example: 'urn:closed-loop:problem:request.not_found' },
      title: { type: 'string', example: 'Not Found' },
      status: { type: 'integer', example: 404 },
      code: {
        type: 'string',
        enum: ERROR_CODES,
        description: ERROR_CODES.map(
          (c) => `- \`${c}\` (${ERROR_CATALOGUE[c].status}): ${ERROR_CATALOGUE[c].meaning}`,
        ).join('\n'),
      },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'the path that failed' },
      errors: {
        type: 'array',
        description: 'with VALIDATION.FAILED: each field that is wrong and why',
        items: {
          type: 'object',
          required: ['field', 'messages'],
          properties: {
            field: { type: 'string' },
            messages: { type: 'array', items: { type: 'string' } },
          },
        },
      },
      allowedEvents: {
        type: 'array',
        items: { type: 'string' },
        description: 'with REQUEST.TRANSITION_NOT_ALLOWED: what the state allows the caller',
      },
    },
    additionalProperties: true,
  };
  const problem = {
    description: 'A problem document (see the `Problem` schema for every code)',
    content: { 'application/problem+json': { schema: { $ref: PROBLEM_REF } } },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (operation) operation.responses = { ...operation.responses, default: problem };
    }
  }
  return document;
}
