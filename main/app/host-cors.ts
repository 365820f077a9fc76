import type { AppLocation } from './navigation';

export type ResponseHeaders = Record<string, string[] | string>;

/** The Origin header our page sends: a file:// page is an opaque origin, which browsers spell "null". */
export function pageOrigin(location: AppLocation): string {
  return location.kind === 'dev' ? new URL(location.devServerUrl).origin : 'null';
}

/**
 * The window's page is not same-origin with the host it monitors (file:// or the dev server), so
 * its fetches need CORS. Rather than make the host trust a "null" origin for every client, the
 * desktop session alone grants it, for our page and responses from our host only. Returns
 * undefined when the response needs no change.
 */
export function withHostCors(
  headers: ResponseHeaders | undefined,
  responseUrl: string,
  hostOrigin: string,
  location: AppLocation,
): ResponseHeaders | undefined {
  let origin: string;
  try {
    origin = new URL(responseUrl).origin;
  } catch {
    return undefined;
  }
  if (origin !== hostOrigin) return undefined;
  const existing = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'access-control-allow-origin');
  if (existing) return undefined;
  return { ...headers, 'Access-Control-Allow-Origin': [pageOrigin(location)], Vary: ['Origin'] };
}
