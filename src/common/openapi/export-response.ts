import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A list answered as JSON, or with `?format=csv|xlsx` as a file: the document names each media
 * type with its own schema, so a generated client sees the JSON shape and a binary file.
 */
export function ApiExportResponse(json: Type<unknown>, description: string) {
  const file = { schema: { type: 'string' as const, format: 'binary' } };
  return applyDecorators(
    ApiExtraModels(json),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(json) } },
        'text/csv': file,
        [XLSX_TYPE]: file,
      },
    }),
  );
}
