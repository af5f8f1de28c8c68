import { describe, expect, it } from 'vitest';

import { collectorArgs, collectorEnv, parseReadyLine, portOf } from './collectorCommand.js';

describe('collectorArgs', () => {
  it('serves on loopback with the given port, token and interval', () => {
    expect(collectorArgs({ script: '/app/osprey.js', port: 0, intervalMs: 1000 })).toEqual([
      '/app/osprey.js',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--interval',
      '1000',
      '--exit-with-stdin',
    ]);
  });

  it('passes the token in the environment, not on the command line', () => {
    expect(collectorEnv({ PATH: '/bin' }, 't0k')).toEqual({ PATH: '/bin', OSPREY_TOKEN: 't0k' });
  });
});

describe('parseReadyLine', () => {
  it('reads the endpoint of the READY line', () => {
    const line = 'OSPREY_READY {"url":"http://127.0.0.1:41234","token":"abc"}';
    expect(parseReadyLine(line)).toEqual({ url: 'http://127.0.0.1:41234', token: 'abc' });
  });

  it('ignores the lines printed for people', () => {
    expect(parseReadyLine('Osprey console: http://127.0.0.1:41234/#token=abc')).toBeUndefined();
    expect(parseReadyLine('')).toBeUndefined();
    expect(parseReadyLine(' OSPREY_READY {}')).toBeUndefined();
  });

  it.each([
    ['OSPREY_READY {"url":', /not JSON/],
    ['OSPREY_READY null', /no loopback http URL/],
    ['OSPREY_READY {"url":"http://10.0.0.5:7420","token":"abc"}', /no loopback http URL/],
    ['OSPREY_READY {"url":"https://127.0.0.1:7420","token":"abc"}', /no loopback http URL/],
    ['OSPREY_READY {"url":"http://127.0.0.1:7420/x","token":"abc"}', /no loopback http URL/],
    ['OSPREY_READY {"url":"http://127.0.0.1:7420","token":""}', /no token/],
    ['OSPREY_READY {"url":"http://127.0.0.1:7420","token":7}', /no token/],
  ])('rejects %s', (line, message) => {
    expect(() => parseReadyLine(line)).toThrow(message);
  });
});

describe('portOf', () => {
  it('is the port of the endpoint URL', () => {
    expect(portOf({ url: 'http://127.0.0.1:41234', token: 'x' })).toBe(41234);
  });
});
