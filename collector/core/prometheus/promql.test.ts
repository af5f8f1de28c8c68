import { describe, expect, it } from 'vitest';

import { byClause, matchers, promString, regexEscape, selector } from './promql.js';

describe('promString', () => {
  it('escapes quotes, backslashes, newlines and control characters', () => {
    expect(promString('plain')).toBe('"plain"');
    expect(promString('a"b')).toBe('"a\\"b"');
    expect(promString('C:\\models\\x')).toBe('"C:\\\\models\\\\x"');
    expect(promString('line1\nline2\r\t')).toBe('"line1\\nline2\\r\\t"');
    expect(promString('\u0000\u001b\u007f')).toBe('"\\x00\\x1b\\x7f"');
    expect(promString('模型 ✓')).toBe('"模型 ✓"');
  });

  it('round-trips hostile values through a Go-style unquote', () => {
    // JSON.parse implements the same escapes for these characters as Go's strconv.Unquote.
    const goUnquote = (s: string): string =>
      JSON.parse(s.replace(/\\x([0-9a-f]{2})/g, '\\u00$1')) as string;
    for (const v of ['"}) or vector(1) #', 'a\\"b', '\n"\\', 'x"y\\\\"z', '{le="+Inf"}']) {
      expect(goUnquote(promString(v))).toBe(v);
    }
  });
});

describe('regexEscape and matchers', () => {
  it('escapes RE2 metacharacters so a model name matches only itself', () => {
    expect(regexEscape('meta-llama/Llama-3.1-8B')).toBe('meta-llama/Llama-3\\.1-8B');
    expect(regexEscape('a|b(c)*')).toBe('a\\|b\\(c\\)\\*');
  });

  it('uses = for one value, =~ for several, skips empty and undefined', () => {
    expect(
      matchers({
        model_name: ['Qwen/Qwen3-32B', 'meta-llama/Llama-3.1-8B'],
        job: 'vllm',
        a: [],
        b: undefined,
      }),
    ).toBe('model_name=~"Qwen/Qwen3-32B|meta-llama/Llama-3\\\\.1-8B",job="vllm"');
    expect(matchers({ instance: ['h:1'] })).toBe('instance="h:1"');
  });

  it('refuses label and metric names a 2.42 server would not parse', () => {
    expect(() => matchers({ 'bad label': 'x' })).toThrow('invalid label name "bad label"');
    expect(() => selector('up{x="1"}', {})).toThrow('invalid metric name');
    expect(() => byClause(['le', 'a-b'])).toThrow('invalid label name "a-b"');
    expect(selector('vllm:num_requests_running', {})).toBe('vllm:num_requests_running');
    expect(byClause([])).toBe('');
    expect(byClause(['le', 'model_name'])).toBe(' by (le, model_name)');
  });
});
