/**
 * Osprey's version, for the metadata of snapshots saved in the console: the build defines it from
 * package.json (renderer/vite.config.ts, npm_package_version); "unknown" in a build run without npm.
 */
const defined = import.meta.env['VITE_OSPREY_VERSION'] as string | undefined;

export const OSPREY_VERSION: string = defined ? defined : 'unknown';
