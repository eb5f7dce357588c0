import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { endSession, type User } from '../session';
import { signedInAs } from '../test/session';
import { fileNameOf, saved } from './download';

const SUPERVISOR: User = {
  id: 'u1',
  username: 'town-supervisor',
  displayName: '镇督查办',
  role: 'supervisor',
  unitId: 't1',
  phone: null,
  active: true,
};

describe('exports are fetched with the bearer token in a header, then saved', () => {
  afterEach(() => {
    endSession();
    vi.restoreAllMocks();
  });

  it('asks for the file with the token in the Authorization header, never in the address', async () => {
    signedInAs(SUPERVISOR, 'jwt-sup');
    const seen: Request[] = [];
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:overdue');
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const fetch = vi.fn(async (request: Request) => {
      seen.push(request);
      return new Response('\uFEFF编号 reference,标题 title\r\n', {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="overdue-xianxiang.csv"',
        },
      });
    });
    const name = await saved(
      api.GET('/api/v1/supervision/overdue', {
        params: { query: { format: 'csv' } },
        parseAs: 'blob',
        fetch,
      }),
      'overdue.csv',
    );
    expect(name).toBe('overdue-xianxiang.csv');
    const request = seen[0] as Request;
    expect(request.headers.get('authorization')).toBe('Bearer jwt-sup');
    expect(new URL(request.url).search).toBe('?format=csv');
    expect(request.url).not.toContain('jwt-sup');
    expect(created).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('a refused export is an error, and nothing is saved', async () => {
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'AUTH.FORBIDDEN', detail: 'no', status: 403 }), {
          status: 403,
          headers: { 'content-type': 'application/problem+json' },
        }),
    );
    await expect(
      saved(
        api.GET('/api/v1/supervision/stats', {
          params: { query: { format: 'xlsx' } },
          parseAs: 'blob',
          fetch,
        }),
        'stats.xlsx',
      ),
    ).rejects.toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    expect(clicked).not.toHaveBeenCalled();
  });

  it('takes the file’s name from Content-Disposition, or a default', () => {
    expect(fileNameOf('attachment; filename="stats-xianxiang.xlsx"', 'stats.xlsx')).toBe(
      'stats-xianxiang.xlsx',
    );
    expect(fileNameOf(null, 'stats.xlsx')).toBe('stats.xlsx');
  });
});
