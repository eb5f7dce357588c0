import type { LookupAddress } from 'node:dns';
import { parseAllowList } from '../../src/common/net/host-allow-list';
import { loadConfig } from '../../src/config/app-config';
import { type TargetPolicy, vetTarget } from '../../src/modules/webhooks/webhook-target';

/** A resolver answering from a table (absolute names too); a name not in it does not exist. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup = (host: string): Promise<LookupAddress[]> => {
    asked.push(host);
    const answer = table[host.replace(/\.$/, '')];
    if (!answer) return Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { lookup, asked };
}

const DNS = {
  'hooks.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'split.example.org': ['93.184.215.14', '10.0.0.7'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'meta.example.org': ['169.254.169.254'],
  'inside.example.org': ['10.20.30.40'],
  localhost: ['127.0.0.1', '::1'],
};

function policy(allowHosts = '', allowHttp = false): TargetPolicy {
  return { allowHosts: parseAllowList(allowHosts).hosts, allowHttp };
}

describe('webhook targets', () => {
  it.each([
    ['https://hooks.example.org/in', ''],
    ['https://8.8.8.8/in', ''],
    ['https://[2400:3200::1]:8443/in', ''],
    ['http://hooks.example.org/in', 'http'],
    ['http://127.0.0.1:8080/in', 'http 127.0.0.1:8080'],
    ['http://127.1:8080/in', 'http 127.0.0.1:8080'],
    ['http://0x7f000001:8080/in', 'http 127.0.0.1'],
    ['http://[::1]:9000/in', 'http [::1]:9000'],
    ['https://inside.example.org/in', 'inside.example.org'],
    ['https://inside.example.org:443/in', 'inside.example.org:443'],
    ['https://INSIDE.example.org./in', 'inside.example.org'],
  ])('allows %s (allowed: %s)', async (url, allowed) => {
    const [http, hosts] = allowed.startsWith('http') ? [true, allowed.slice(5)] : [false, allowed];
    const target = await vetTarget(url, policy(hosts, http), fakeDns(DNS).lookup);
    expect(target).toMatchObject({ ok: true });
  });

  it.each([
    ['not a url', 'URL not allowed', /not an absolute URL/],
    ['ftp://hooks.example.org/in', 'URL not allowed', /must use https/],
    ['http://hooks.example.org/in', 'URL not allowed', /must use https/],
    ['https://user:pw@hooks.example.org/in', 'URL not allowed', /user name or password/],
    ['https://127.0.0.1/in', 'address not allowed', /127\.0\.0\.1 is a loopback address/],
    ['https://2130706433/in', 'address not allowed', /loopback/],
    ['https://[::ffff:127.0.0.1]/in', 'address not allowed', /\[::ffff:7f00:1\] is a loopback/],
    ['https://[fd00::1]/in', 'address not allowed', /unique-local/],
    ['https://100.64.1.1/in', 'address not allowed', /carrier-grade NAT/],
    ['https://localhost/in', 'address not allowed', /localhost resolves to 127\.0\.0\.1/],
    ['https://split.example.org/in', 'address not allowed', /resolves to 10\.0\.0\.7, a private/],
    ['https://mapped.example.org/in', 'address not allowed', /loopback/],
    ['https://meta.example.org/in', 'address not allowed', /link-local/],
    ['https://nowhere.example.org/in', 'not resolved', /could not be resolved/],
  ])('refuses %s: %s', async (url, failure, message) => {
    const target = await vetTarget(url, policy(), fakeDns(DNS).lookup);
    expect(target).toMatchObject({ ok: false, failure, message: expect.stringMatching(message) });
  });

  it('an allow-listed host:port admits that port only, and no other host', async () => {
    const allowed = policy('127.0.0.1:8080, inside.example.org:8443', true);
    const { lookup } = fakeDns(DNS);
    await expect(vetTarget('http://127.0.0.1:8081/', allowed, lookup)).resolves.toMatchObject({
      ok: false,
      failure: 'address not allowed',
    });
    await expect(vetTarget('http://127.0.0.2:8080/', allowed, lookup)).resolves.toMatchObject({
      ok: false,
    });
    await expect(vetTarget('https://inside.example.org/', allowed, lookup)).resolves.toMatchObject({
      ok: false,
    });
    await expect(
      vetTarget('https://inside.example.org:8443/', allowed, lookup),
    ).resolves.toMatchObject({ ok: true, addresses: [{ address: '10.20.30.40', family: 4 }] });
  });

  it('gives every address of a name, for the connection to use those and no others', async () => {
    const { lookup, asked } = fakeDns(DNS);
    const target = await vetTarget('https://hooks.example.org/in', policy(), lookup);
    expect(asked).toEqual(['hooks.example.org']);
    expect(target).toEqual({
      ok: true,
      url: new URL('https://hooks.example.org/in'),
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });

  it('does not resolve an IP literal', async () => {
    const { lookup, asked } = fakeDns(DNS);
    await expect(vetTarget('https://8.8.8.8/', policy(), lookup)).resolves.toMatchObject({
      ok: true,
      addresses: [{ address: '8.8.8.8', family: 4 }],
    });
    expect(asked).toEqual([]);
  });
});

describe('WEBHOOK_ALLOW_HOSTS', () => {
  it('reads host and host:port entries as URLs spell them', () => {
    expect(
      parseAllowList(' hooks.internal , 127.1:8080,[0:0::1]:9000,HOOKS.Example.ORG.,0x7f000001 ,,'),
    ).toEqual({
      hosts: [
        { host: 'hooks.internal', port: undefined },
        { host: '127.0.0.1', port: 8080 },
        { host: '[::1]', port: 9000 },
        { host: 'hooks.example.org', port: undefined },
        { host: '127.0.0.1', port: undefined },
      ],
      invalid: [],
    });
  });

  it.each(['http://hooks.internal', 'a b', 'host:0', 'host:99999', 'host:', '[::1', 'a/b', 'u@h'])(
    'refuses %j',
    (entry) => {
      expect(parseAllowList(entry)).toEqual({ hosts: [], invalid: [entry] });
    },
  );
});

describe('the webhook configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://localhost/x',
    REDIS_URL: 'redis://localhost',
    JWT_SECRET: 'a-secret-of-16-chars',
  };

  it('is https only and allow-lists nothing by default', () => {
    expect(loadConfig(base)).toMatchObject({ webhookAllowHosts: [], webhookAllowHttp: false });
  });

  it('reads the allow-list and the http switch', () => {
    expect(
      loadConfig({
        ...base,
        WEBHOOK_ALLOW_HOSTS: 'hooks.internal:8443',
        WEBHOOK_ALLOW_HTTP: 'true',
      }),
    ).toMatchObject({
      webhookAllowHosts: [{ host: 'hooks.internal', port: 8443 }],
      webhookAllowHttp: true,
    });
  });

  it('names a malformed entry and a switch that is not true or false', () => {
    expect(() =>
      loadConfig({
        ...base,
        WEBHOOK_ALLOW_HOSTS: 'ok.internal,http://bad/',
        WEBHOOK_ALLOW_HTTP: 'yes',
      }),
    ).toThrow(
      /WEBHOOK_ALLOW_HOSTS must be .* \(not http:\/\/bad\/\)[\s\S]*WEBHOOK_ALLOW_HTTP must be true or false/,
    );
  });
});
