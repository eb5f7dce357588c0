/** A fetch client for a built API process: demo logins cached, every status kept for a 5xx check. */
export interface ApiClient {
  call(
    base: string,
    method: string,
    path: string,
    user?: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, any> }>;
  token(base: string, user: string): Promise<string>;
  statuses: number[];
}

export function apiClient(): ApiClient {
  const tokens = new Map<string, string>();
  const statuses: number[] = [];

  async function token(base: string, user: string): Promise<string> {
    const cached = tokens.get(user);
    if (cached) return cached;
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: 'demo1234' }),
    });
    const accessToken = ((await res.json()) as { accessToken: string }).accessToken;
    tokens.set(user, accessToken);
    return accessToken;
  }

  return {
    statuses,
    token,
    async call(base, method, path, user, body) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (user) headers.authorization = `Bearer ${await token(base, user)}`;
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      statuses.push(res.status);
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
    },
  };
}
