import { api, type Attachment, unwrap } from './client';

/**
 * The API's defaults (ATTACHMENT_MAX_PER_EVENT, ATTACHMENT_MAX_BYTES in its settings). A town that
 * sets others still gets the API's refusal, in words.
 */
export const MAX_PHOTOS = 9;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

type UploadBody = { file: string };

/**
 * Keeps one photo at the API (POST /attachments, multipart, the file in `file`); it is the
 * uploader's alone until an event names its id. The API judges it by its content, not its name.
 */
export function uploadPhoto(file: Blob, name: string): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, name);
  // The generated types describe the multipart field as a string; the body is the form itself.
  return unwrap(api.POST('/api/v1/attachments', { body: form as unknown as UploadBody }));
}

/**
 * A photo's bytes (its 320 px thumbnail or the photo itself), fetched with the bearer token: an
 * <img src> could not send it, and a token in the address would end up in logs and history.
 */
export function photoBlob(id: string, size: 'thumbnail' | 'content'): Promise<Blob> {
  const params = { path: { id } };
  return unwrap(
    size === 'thumbnail'
      ? api.GET('/api/v1/attachments/{id}/thumbnail', { params, parseAs: 'blob' })
      : api.GET('/api/v1/attachments/{id}/content', { params, parseAs: 'blob' }),
  ) as Promise<Blob>;
}
