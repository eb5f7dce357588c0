import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_DIR } from '../../src/common/http/web-app';
import { documentText, WEB_OPENAPI_JSON } from '../../scripts/openapi/document';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

// The web app's generator, with the openapi-typescript the web workspace installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, SCHEMA } = require(join(WEB_DIR, 'scripts', 'api-types.cjs')) as {
  generate: (document: unknown) => Promise<string>;
  SCHEMA: string;
};

const REGENERATE = 'run `npm run api:openapi` and commit web/src/api/';

describe('the web app’s typed client follows the served OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => stopTestApp(t));

  it('web/src/api/openapi.json is the document /docs-json serves', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const served = documentText(res.body);
    const committed = readFileSync(WEB_OPENAPI_JSON, 'utf8');
    expect({ same: served === committed, fix: REGENERATE }).toEqual({
      same: true,
      fix: REGENERATE,
    });
  });

  it('web/src/api/schema.d.ts is what openapi-typescript generates from it', async () => {
    const expected = await generate(JSON.parse(readFileSync(WEB_OPENAPI_JSON, 'utf8')));
    const committed = readFileSync(SCHEMA, 'utf8');
    expect({ same: expected === committed, fix: REGENERATE }).toEqual({
      same: true,
      fix: REGENERATE,
    });
  });
});
