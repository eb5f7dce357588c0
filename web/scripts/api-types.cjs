// `npm run api:types`: src/api/schema.d.ts from src/api/openapi.json. The API's jest suite calls
// generate() too, to fail when the committed types drift from the committed document.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { default: openapiTS, astToString, COMMENT_HEADER } = require('openapi-typescript');

const API_DIR = join(__dirname, '..', 'src', 'api');
const DOCUMENT = join(API_DIR, 'openapi.json');
const SCHEMA = join(API_DIR, 'schema.d.ts');

async function generate(document) {
  return COMMENT_HEADER + astToString(await openapiTS(document, { alphabetize: true }));
}

module.exports = { generate, DOCUMENT, SCHEMA };

if (require.main === module) {
  generate(JSON.parse(readFileSync(DOCUMENT, 'utf8'))).then(
    (text) => {
      writeFileSync(SCHEMA, text);
      console.log(SCHEMA);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
