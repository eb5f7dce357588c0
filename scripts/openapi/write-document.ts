import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { documentText, WEB_OPENAPI_JSON } from './document';

/**
 * `npm run api:openapi`: boots the app (against DATABASE_URL and REDIS_URL, local defaults as in
 * up.sh), fetches the document it serves at /docs-json and writes it, keys sorted, to
 * web/src/api/openapi.json; the npm script then regenerates web/src/api/schema.d.ts from it.
 */
async function main(): Promise<void> {
  const app = await createApp(
    loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/closed_loop',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_SECRET: 'only-to-serve-the-openapi-document',
      LOG_LEVEL: 'warn',
      ...process.env,
    }),
  );
  try {
    await app.listen(0, '127.0.0.1');
    const res = await fetch(`${await app.getUrl()}/docs-json`);
    if (!res.ok) throw new Error(`/docs-json answered ${res.status}`);
    writeFileSync(WEB_OPENAPI_JSON, documentText(await res.json()));
    console.log(WEB_OPENAPI_JSON);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
