/**
 * The supervision endpoints answer JSON, or a file when asked with ?format; the typed client
 * cannot tell which from the query, so a call without format takes its answer as the JSON one.
 */
export function asJson<T>(answer: T | string | Blob): T {
  if (typeof answer === 'string' || answer instanceof Blob) {
    throw new TypeError('the API answered a file where JSON was expected');
  }
  return answer;
}
