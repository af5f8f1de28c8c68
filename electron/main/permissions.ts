/**
 * Web permissions the window may have: writing plain text to the clipboard (copy buttons), and
 * nothing else — no camera, microphone, geolocation, notifications, USB or serial.
 */
import type { Session } from 'electron';

const ALLOWED = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string): boolean {
  return ALLOWED.has(permission);
}

/** The part of Electron's Session this module uses. */
export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler'
>;

export function restrictPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionAllowed(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}
