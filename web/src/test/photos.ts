import { vi } from 'vitest';

/** The blob: URLs a component makes and revokes, recorded instead of made. */
export function trackBlobUrls(): { created: string[]; revoked: string[] } {
  const urls = { created: [] as string[], revoked: [] as string[] };
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => {
    const url = `blob:test/${urls.created.length + 1}`;
    urls.created.push(url);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => {
    urls.revoked.push(url);
  });
  return urls;
}
