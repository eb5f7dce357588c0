import { api, type Category, type Unit, unwrap } from './client';

/** Lists that rarely change, fetched once per page load and shared by every screen. */
const cache = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

export const categories = (): Promise<Category[]> =>
  once('categories', () => unwrap(api.GET('/api/v1/categories')));

export const unitsOfType = (type: 'branch' | 'department'): Promise<Unit[]> =>
  once(`units:${type}`, () => unwrap(api.GET('/api/v1/units', { params: { query: { type } } })));
