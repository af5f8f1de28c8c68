import { describe, expect, it } from 'vitest';

import { allowedHostNames, hostAllowed, nameOfHost, originAllowed } from './hostGuard.js';

describe('hostGuard', () => {
  it('reads the name of a Host header, with or without port, IPv6 in brackets', () => {
    expect(nameOfHost('LocalHost:7420')).toBe('localhost');
    expect(nameOfHost('[::1]:7420')).toBe('[::1]');
    expect(nameOfHost('127.0.0.1')).toBe('127.0.0.1');
    for (const bad of [undefined, '', 'a b', 'user@localhost', 'localhost/x', '[::1', 'h:port']) {
      expect(nameOfHost(bad), String(bad)).toBeUndefined();
    }
  });

  it('answers to the loopback names, the listen address and the allowed names only', () => {
    const allowed = allowedHostNames('::1', ['Console.Example']);
    expect([...allowed]).toEqual(['localhost', '127.0.0.1', '[::1]', 'console.example']);
    expect(hostAllowed('console.example:443', allowed)).toBe(true);
    expect(hostAllowed('evil.example:7420', allowed)).toBe(false);
    expect(hostAllowed('localhost.evil.example', allowed)).toBe(false);
    expect(hostAllowed('localhost.', allowed)).toBe(false);
    expect(hostAllowed(undefined, allowed)).toBe(false);
  });

  it('lets in no Origin, or the page of the very Host asked; refuses any other', () => {
    expect(originAllowed(undefined, 'localhost:7420')).toBe(true);
    expect(originAllowed('http://LOCALHOST:7420', 'localhost:7420')).toBe(true);
    expect(originAllowed('https://console.example', 'console.example')).toBe(true);
    for (const origin of [
      'http://evil.example',
      'http://localhost:7421',
      'http://127.0.0.1:7420',
      'null',
      'http://localhost:7420/path',
      'file://',
    ]) {
      expect(originAllowed(origin, 'localhost:7420'), origin).toBe(false);
    }
    expect(originAllowed('http://localhost:7420', undefined)).toBe(false);
  });
});
