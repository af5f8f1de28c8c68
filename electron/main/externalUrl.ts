/**
 * What may leave the app for the system browser: http(s) URLs only. file:, javascript:, custom
 * schemes (which launch other programs) and anything unparsable are refused with a reason.
 */

// Browsers cope with longer URLs, but no link in this app needs more; a cap keeps logs readable.
const MAX_LENGTH = 2048;

export function checkExternalUrl(url: unknown): string {
  if (typeof url !== 'string')
    throw new Error(`openExternal needs a URL string, got ${typeof url}`);
  if (url.length > MAX_LENGTH) {
    throw new Error(`openExternal refused a URL of ${url.length} characters (max ${MAX_LENGTH})`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`openExternal refused "${url}": not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`openExternal refused "${url}": only http and https links open outside`);
  }
  return parsed.href;
}

export function isExternalHttpUrl(url: string): boolean {
  try {
    checkExternalUrl(url);
    return true;
  } catch {
    return false;
  }
}
