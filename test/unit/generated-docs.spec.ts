import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_DIR, GENERATED_DOCS, renderDoc } from '../../scripts/docs/render';

describe('generated documents', () => {
  it.each(Object.keys(GENERATED_DOCS))(
    'docs/%s matches the code (run `npm run docs`)',
    async (name) => {
      const committed = readFileSync(join(DOCS_DIR, name), 'utf8');
      expect(committed).toBe(await renderDoc(name));
    },
  );
});
