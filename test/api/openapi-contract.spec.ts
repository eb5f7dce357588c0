import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import * as ts from 'typescript';
import { USER_EVENT_TYPES, payloadFields } from '../../workflows';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

/**
 * The served OpenAPI document is the contract a client is generated from (the web app uses
 * openapi-typescript): every success answer has a schema, the events body is a discriminated
 * union of the payload declaration, and a client generated from it typechecks as a client would.
 */

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  responses: Record<string, Response>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('the API contract (/docs-json)', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body as Document;
  });

  afterAll(() => stopTestApp(t));

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );

  it('every operation declares its success answer, with a schema unless it is 204', () => {
    const missing: string[] = [];
    for (const { name, op } of operations()) {
      const successes = Object.entries(op.responses).filter(([code]) => /^2\d\d$/.test(code));
      if (successes.length === 0) missing.push(`${name}: no 2xx answer`);
      for (const [code, response] of successes) {
        if (code === '204') {
          if (response.content) missing.push(`${name} ${code}: a 204 has no body`);
          continue;
        }
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) missing.push(`${name} ${code}: no content`);
        for (const [type, { schema }] of media) {
          if (!schema || Object.keys(schema).length === 0) {
            missing.push(`${name} ${code} ${type}: no schema`);
          } else if (type !== 'application/json' && schema.type !== 'string') {
            missing.push(`${name} ${code} ${type}: a text or file answer is a string`);
          } else if (/spreadsheet|csv/.test(type) && schema.format !== 'binary') {
            missing.push(`${name} ${code} ${type}: an export is binary`);
          }
        }
      }
    }
    expect(operations().length).toBeGreaterThan(35);
    expect(missing).toEqual([]);
  });

  it('the exports and the metrics say what they send', () => {
    for (const path of ['/api/v1/supervision/overdue', '/api/v1/supervision/stats']) {
      expect(Object.keys(doc.paths[path].get.responses['200'].content ?? {}).sort()).toEqual([
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'text/csv',
      ]);
    }
    expect(doc.paths['/metrics'].get.responses['200'].content).toEqual({
      'text/plain': { schema: { type: 'string' } },
    });
  });

  describe('the events body', () => {
    const body = () =>
      doc.paths['/api/v1/requests/{id}/events'].post.requestBody?.content['application/json']
        .schema as Schema;
    const resolve = (ref: string) => doc.components.schemas[ref.split('/').pop() as string];

    it('is a oneOf with a discriminator on type covering every user event', () => {
      const { oneOf, discriminator } = body();
      expect(discriminator?.propertyName).toBe('type');
      const mapping = discriminator?.mapping ?? {};
      expect(Object.keys(mapping).sort()).toEqual([...USER_EVENT_TYPES].sort());
      expect(oneOf?.map((s) => s.$ref).sort()).toEqual(Object.values(mapping).sort());
      for (const [type, ref] of Object.entries(mapping)) {
        const schema = resolve(ref);
        expect(schema.properties?.type).toMatchObject({ type: 'string', enum: [type] });
        expect(schema.required).toContain('type');
      }
    });

    it.each(USER_EVENT_TYPES)(
      '%s: the schema has exactly the declared fields, required as declared',
      (type) => {
        const schema = resolve(body().discriminator?.mapping?.[type] as string);
        const fields = payloadFields(type);
        expect(Object.keys(schema.properties ?? {}).sort()).toEqual(
          ['type', ...fields.map(([name]) => name)].sort(),
        );
        expect([...(schema.required ?? [])].sort()).toEqual(
          ['type', ...fields.filter(([, rule]) => !rule.optional).map(([name]) => name)].sort(),
        );
      },
    );
  });

  it('a client generated with openapi-typescript typechecks as a web app uses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closed-loop-client-'));
    try {
      // A .ts file, not .d.ts, so the generated types are checked too (skipLibCheck skips .d.ts).
      writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(doc as never)));
      writeFileSync(
        join(dir, 'client.ts'),
        [
          "import type { components, paths } from './api';",
          '',
          "type Request = paths['/api/v1/requests/{id}']['get']['responses']['200']['content']['application/json'];",
          "type Event = paths['/api/v1/requests/{id}/events']['post']['requestBody'] extends",
          "  { content: { 'application/json': infer B } } | undefined ? B : never;",
          "type Page = paths['/api/v1/requests']['get']['responses']['200']['content']['application/json'];",
          "type Problem = components['schemas']['Problem'];",
          "type Policy = components['schemas']['PutSlaPolicyDto'];",
          '',
          'export const allowed = (r: Request): string[] => r.allowedEvents;',
          'export const states = (p: Page): string[] => p.items.map((r) => r.state);',
          'export const total = (p: Page): number => p.total;',
          'export const code = (p: Problem): string => p.code;',
          "export const resolve: Event = { type: 'RESOLVE', resolution: '路灯已修好' };",
          "export const extend: Event = { type: 'REQUEST_EXTENSION', until: '2026-12-31', reason: '等材料' };",
          "export const note: Event = { type: 'COMMENT', text: '内部说明', internal: true };",
          "export const accept: Event = { type: 'ACCEPT' };",
          '// @ts-expect-error RESOLVE needs its resolution',
          "export const bare: Event = { type: 'RESOLVE' };",
          '// @ts-expect-error no event is called APPROVE',
          "export const unknown: Event = { type: 'APPROVE' };",
          '// @ts-expect-error a rating is a number',
          "export const rating: Event = { type: 'CONFIRM', rating: '5' };",
          "const limits = { clock: '24x7', accept: 'PT2H', dispatch: 'PT2H', resolve: 'PT24H', feedback: 'P3D' } as const;",
          'export const policy: Policy = { ...limits, warnAt: [0.5, 0.8] };',
          '// @ts-expect-error the fractions at which to warn are numbers',
          "export const warnText: Policy = { ...limits, warnAt: ['0.5'] };",
          '// @ts-expect-error allowedEvents is not a number',
          'export const wrong = (r: Request): number => r.allowedEvents;',
          '',
        ].join('\n'),
      );
      const program = ts.createProgram([join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        lib: ['lib.es2023.d.ts'],
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
