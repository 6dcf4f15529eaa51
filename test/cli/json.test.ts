// JSON output as the original CLI printed it (cli.md §4.1): the response bytes re-indented.
import { describe, expect, it } from 'vitest';
import { reindentJson } from '../../src/cli/render/json.js';

describe('reindentJson', () => {
  it('indents by two spaces, with ": " after keys and a newline after every , { [', () => {
    expect(reindentJson('{"a":[1,2],"b":{"c":"d"}}')).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "c": "d"\n  }\n}\n');
  });

  it('gives what JSON.stringify gives for what our scheduler sends', () => {
    const body = { phases: [{ id: 'x', steps: [{ name: 'hello-0:[server]', status: 'COMPLETE' }], errors: [] }], status: 'COMPLETE' };
    expect(reindentJson(JSON.stringify(body))).toBe(JSON.stringify(body, null, 2) + '\n');
  });

  it('copies numbers, escapes and key order byte for byte', () => {
    expect(reindentJson('{"b":1.0,"a":12345678901234567890,"2":"\\u003c","1":true}')).toBe('{\n  "b": 1.0,\n  "a": 12345678901234567890,\n  "2": "\\u003c",\n  "1": true\n}\n');
  });

  it('keeps strings holding JSON punctuation and escaped quotes intact', () => {
    expect(reindentJson('["a, b: {c}", "say \\"hi\\""]')).toBe('[\n  "a, b: {c}",\n  "say \\"hi\\""\n]\n');
  });

  it('writes empty containers on one line, drops insignificant whitespace, keeps what follows the value', () => {
    expect(reindentJson('  { "x" : [ ] , "y" : { } }  ')).toBe('{\n  "x": [],\n  "y": {}\n}  \n');
  });

  it('says when a body is not JSON, and shows it', () => {
    expect(reindentJson('')).toBe('Failed to prettify JSON response data: unexpected end of JSON input\nOriginal data follows:\n\n');
    expect(reindentJson('oops').split('\n').slice(1)).toEqual(['Original data follows:', 'oops', '']);
  });
});
