import { writeFileSync } from 'node:fs';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';
describe('dump', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => stopTestApp(t));
  it('dumps', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    writeFileSync('/tmp/contract/doc.json', JSON.stringify(doc, null, 2));
  });
});
