import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The resident's one-tap feedback link: who may rate which resolution until when, signed, so it
 * works without an account and without a table. 24 bytes of claims (the request's id, the seq of
 * the RESOLVE it answers, the expiry in seconds) and a 16-byte HMAC-SHA256 tag, base64url: 54
 * characters, short enough for a text message. A key of its own, derived from the signing
 * secret, so a feedback link is never mistaken for anything else.
 */
export interface FeedbackClaims {
  requestId: string;
  /** The seq of the RESOLVE event the link answers. */
  seq: number;
  expiresAt: Date;
}

const TAG_BYTES = 16;
const CLAIM_BYTES = 24;

export function feedbackKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('closed-loop feedback link v1').digest();
}

function tag(key: Buffer, claims: Buffer): Buffer {
  return createHmac('sha256', key).update(claims).digest().subarray(0, TAG_BYTES);
}

export function signFeedbackLink(key: Buffer, c: FeedbackClaims): string {
  const claims = Buffer.alloc(CLAIM_BYTES);
  Buffer.from(c.requestId.replace(/-/g, ''), 'hex').copy(claims, 0);
  claims.writeUInt32BE(c.seq, 16);
  claims.writeUInt32BE(Math.floor(c.expiresAt.getTime() / 1000), 20);
  return Buffer.concat([claims, tag(key, claims)]).toString('base64url');
}

/** The claims of a link this system signed, or null for anything else (tampered, truncated). */
export function readFeedbackLink(key: Buffer, token: string): FeedbackClaims | null {
  if (!/^[A-Za-z0-9_-]{54}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== CLAIM_BYTES + TAG_BYTES) return null;
  const claims = raw.subarray(0, CLAIM_BYTES);
  if (!timingSafeEqual(raw.subarray(CLAIM_BYTES), tag(key, claims))) return null;
  const hex = claims.subarray(0, 16).toString('hex');
  return {
    requestId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    seq: claims.readUInt32BE(16),
    expiresAt: new Date(claims.readUInt32BE(20) * 1000),
  };
}

/** Where the resident opens it: the web app's page of its own, on the public address. */
export function feedbackUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/f/${token}`;
}
