import { isIP } from 'node:net';
import { type AllowedHost, parseAllowList } from '../common/net/host-allow-list';
import {
  type AttachmentLimits,
  attachmentLimits,
  type FileStoreConfig,
  fileStoreConfig,
} from './file-store-config';

/**
 * Configuration is read and validated once at boot. A missing or malformed variable stops the
 * process with one message that names every problem, so an operator fixes them in one go.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string;
  /** Access-token lifetime, as jsonwebtoken reads it (`15m`). */
  jwtExpiresIn: string;
  refreshTokenTtlSeconds: number;
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  passwordHashConcurrency: number;
  queueDashboardWrites: boolean;
  logLevel: string;
  bodyLimit: string;
  workerMetricsPort: number;
  /** Where the worker's metrics server listens; loopback unless an operator opens it. */
  workerMetricsHost: string;
  /** When set, /metrics (API and worker) needs `Authorization: Bearer <token>`; else loopback only. */
  metricsToken: string | null;
  /** Whether /docs and /docs-json are served. */
  apiDocs: boolean;
  /** Where people reach the app: the host of links sent in messages (the feedback link). */
  publicBaseUrl: string;
  outboxPollMs: number;
  reconcileIntervalMs: number;
  statsRefreshMs: number;
  webhookAttempts: number;
  webhookBackoffMs: number;
  /** Hosts webhooks may reach although their addresses are internal (the operator's receivers). */
  webhookAllowHosts: AllowedHost[];
  /** Plain-http webhook URLs; https only when false. */
  webhookAllowHttp: boolean;
  /** Where uploaded photos are kept (FILE_STORE and its settings). */
  fileStore: FileStoreConfig;
  attachments: AttachmentLimits;
  /** How close (metres) an open request of the same category must be to count as a possible duplicate. */
  duplicateDistanceM: number;
}

export class ConfigError extends Error {}

const DURATION = /^\d+[smhd]$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `15m` → 900. Only for values that passed DURATION. */
export function durationSeconds(value: string): number {
  return Number(value.slice(0, -1)) * UNIT_SECONDS[value.slice(-1) as keyof typeof UNIT_SECONDS];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };

  const databaseUrl = required('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const redisUrl = required('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push('REDIS_URL must start with redis:// or rediss://');
  }
  const jwtSecret = required('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 16)
    problems.push('JWT_SECRET must be at least 16 characters');

  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push('PORT must be an integer between 0 and 65535');
  }
  const jwtExpiresIn = env.JWT_EXPIRES_IN ?? '15m';
  if (!DURATION.test(jwtExpiresIn)) problems.push('JWT_EXPIRES_IN must look like 30m, 12h or 7d');
  const refreshTokenTtl = env.REFRESH_TOKEN_TTL ?? '12h';
  if (!DURATION.test(refreshTokenTtl)) {
    problems.push('REFRESH_TOKEN_TTL must look like 30m, 12h or 7d');
  }
  const queueDashboardWrites = env.QUEUE_DASHBOARD_WRITES ?? 'false';
  if (!['true', 'false'].includes(queueDashboardWrites)) {
    problems.push('QUEUE_DASHBOARD_WRITES must be true or false');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}`);
    }
    return value;
  };
  const workerMetricsPort = integer('WORKER_METRICS_PORT', 9464, 0, 65535);
  const workerMetricsHost = env.WORKER_METRICS_HOST?.trim() || '127.0.0.1';
  if (!isIP(workerMetricsHost) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(workerMetricsHost)) {
    problems.push('WORKER_METRICS_HOST must be an IP address or a host name');
  }
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 200 visible ASCII characters');
  }
  const publicBaseUrl = (env.PUBLIC_BASE_URL?.trim() || `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicBaseUrl)) {
    problems.push(
      'PUBLIC_BASE_URL must be an http(s) address without query, e.g. https://town.example',
    );
  }
  const apiDocsRaw = env.API_DOCS?.trim() || 'true';
  if (apiDocsRaw !== 'true' && apiDocsRaw !== 'false') {
    problems.push('API_DOCS must be true or false');
  }
  const outboxPollMs = integer('OUTBOX_POLL_MS', 1000, 50, 60_000);
  const reconcileIntervalMs = integer('RECONCILE_INTERVAL_MS', 5000, 100, 600_000);
  const statsRefreshMs = integer('STATS_REFRESH_MS', 10_000, 100, 3_600_000);
  const webhookAttempts = integer('WEBHOOK_ATTEMPTS', 6, 1, 50);
  const webhookBackoffMs = integer('WEBHOOK_BACKOFF_MS', 2000, 1, 3_600_000);
  const allowList = parseAllowList(env.WEBHOOK_ALLOW_HOSTS ?? '');
  if (allowList.invalid.length > 0) {
    problems.push(
      `WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host or host:port (not ${allowList.invalid.join(', ')})`,
    );
  }
  const allowHttp = env.WEBHOOK_ALLOW_HTTP?.trim() || 'false';
  if (!['true', 'false'].includes(allowHttp))
    problems.push('WEBHOOK_ALLOW_HTTP must be true or false');
  const loginMaxFailuresPerAccount = integer('LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 10_000);
  const loginMaxFailuresPerAddress = integer('LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1_000_000);
  const loginWindowSeconds = integer('LOGIN_WINDOW_SECONDS', 900, 1, 86_400);
  const passwordHashConcurrency = integer('PASSWORD_HASH_CONCURRENCY', 4, 1, 64);
  const fileStore = fileStoreConfig(env, problems);
  const attachments = attachmentLimits(integer);
  const duplicateDistanceM = integer('DUPLICATE_DISTANCE_M', 100, 1, 5000);

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    nodeEnv: env.NODE_ENV ?? 'development',
    port,
    databaseUrl,
    redisUrl,
    jwtSecret,
    jwtExpiresIn,
    refreshTokenTtlSeconds: durationSeconds(refreshTokenTtl),
    loginMaxFailuresPerAccount,
    loginMaxFailuresPerAddress,
    loginWindowSeconds,
    passwordHashConcurrency,
    queueDashboardWrites: queueDashboardWrites === 'true',
    logLevel,
    bodyLimit: env.BODY_LIMIT ?? '64kb',
    workerMetricsPort,
    workerMetricsHost,
    metricsToken,
    apiDocs: apiDocsRaw !== 'false',
    publicBaseUrl,
    outboxPollMs,
    reconcileIntervalMs,
    statsRefreshMs,
    webhookAttempts,
    webhookBackoffMs,
    webhookAllowHosts: allowList.hosts,
    webhookAllowHttp: allowHttp === 'true',
    fileStore,
    attachments,
    duplicateDistanceM,
  };
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
