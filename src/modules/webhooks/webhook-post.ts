import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeliveryFailure } from './webhook-target';

/** A failed delivery; its message is one of the short, generic `DeliveryFailure`s. */
export class WebhookDeliveryError extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(failure);
    this.name = 'WebhookDeliveryError';
  }
}

/** Resolves the URL's host to the vetted addresses only, whatever DNS says by now. */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = { IPv4: 4, IPv6: 6 }[String(options.family)] ?? options.family;
    const usable = family ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_)/;

function failureOf(error: unknown): DeliveryFailure {
  if (error instanceof WebhookDeliveryError) return error.failure;
  const e = error as { code?: string; name?: string };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timed out';
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ENOTFOUND':
      return 'not resolved';
  }
  return e.code && TLS_ERROR.test(e.code) ? 'TLS failed' : 'connection failed';
}

/**
 * POSTs `body` to `url`, connecting only to `addresses`, following no redirect; resolves with
 * the status once the answer's head arrives. Every failure is a WebhookDeliveryError.
 */
export function postPinned(
  url: URL,
  addresses: LookupAddress[],
  headers: OutgoingHttpHeaders,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        // A connection of its own each time: a pooled one could lead to an address vetted before.
        agent: false,
        lookup: pinned(addresses),
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        // The status is all a delivery needs; a body trickled in slowly must not hold the worker.
        res.on('error', () => undefined);
        res.destroy();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new WebhookDeliveryError('timed out')));
    req.on('error', (error) => reject(new WebhookDeliveryError(failureOf(error))));
    req.end(body);
  });
}
