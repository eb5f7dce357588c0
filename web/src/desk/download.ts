import { api, unwrap } from '../api/client';

export type ExportFormat = 'csv' | 'xlsx';
export interface StatsQuery {
  unitId?: string;
  from?: string;
  to?: string;
  groupBy?: 'unit' | 'month';
}

/** The file name the API gives in Content-Disposition, else a default. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1]?.trim() || fallback;
}

/** Hands a file to the browser to save, as a link to it in memory clicked once. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/** Saves an export's answer under the name the API gave it; the name is returned. */
export async function saved(call: Promise<Answer>, fallback: string): Promise<string> {
  let disposition: string | null = null;
  const blob = await unwrap(
    call.then((answer) => {
      disposition = answer.response.headers.get('Content-Disposition');
      return answer;
    }),
  );
  const name = fileNameOf(disposition, fallback);
  saveFile(blob as Blob, name);
  return name;
}

/*
 * Exports are fetched with the bearer token in a header (the client's middleware adds it): a link
 * with the token in its address would leave it in the history and in the server's logs.
 */

export const downloadOverdue = (format: ExportFormat, unitId?: string): Promise<string> =>
  saved(
    api.GET('/api/v1/supervision/overdue', {
      params: { query: { format, ...(unitId ? { unitId } : {}) } },
      parseAs: 'blob',
    }),
    `overdue.${format}`,
  );

export const downloadStats = (format: ExportFormat, query: StatsQuery): Promise<string> =>
  saved(
    api.GET('/api/v1/supervision/stats', {
      params: { query: { ...query, format } },
      parseAs: 'blob',
    }),
    `stats.${format}`,
  );
