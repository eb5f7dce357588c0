import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_DIR, GENERATED_DOCS, renderDoc } from './render';

/** `npm run docs`: rewrites every generated file under docs/. */
async function main(): Promise<void> {
  for (const name of Object.keys(GENERATED_DOCS)) {
    writeFileSync(join(DOCS_DIR, name), await renderDoc(name));
    console.log(`docs/${name}`);
  }
}

void main();
