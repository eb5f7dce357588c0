import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountBullBoard } from './common/auth/bull-board';
import { inputGuard } from './common/http/input-guard';
import { noStore, securityHeaders } from './common/http/security-headers';
import { serveWebApp } from './common/http/web-app';
import { addProblemSchema } from './common/openapi/problem-schema';
import type { AppConfig } from './config/app-config';

/** Builds the HTTP application; shared by `main.ts` and the API tests so both run the same app. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(securityHeaders());
  app.use('/api/v1', noStore);
  app.useBodyParser('json', { limit: config.bodyLimit });
  // iCalendar imports of holidays arrive as text.
  app.useBodyParser('text', { type: ['text/calendar', 'text/plain'], limit: '1mb' });
  // Before any route, pipe or validation: NUL, bidi controls, lone surrogates, deep JSON.
  app.use(inputGuard);
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.enableShutdownHooks();
  mountBullBoard(app);
  if (config.apiDocs) mountApiDocs(app);
  // Last: the app answers the GETs no route above took.
  serveWebApp(app);
  return app;
}

/** OpenAPI at /docs (Swagger UI) and /docs-json; API_DOCS=false leaves both unserved (404). */
function mountApiDocs(app: INestApplication): void {
  const document = addProblemSchema(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Closed loop: resident request → resolution')
        .setDescription(
          '群众点单 — 支部接单 — 党委派单 — 头雁送单. Errors are application/problem+json with a stable `code`.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
