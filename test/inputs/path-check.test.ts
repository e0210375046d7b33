// The path check on its own: containment by path segments, never by string prefix.
import { describe, expect, it } from 'vitest';
import { containingRoot, isPathWithin, isSafePathString } from '../../src/engine/inputs/path-check.js';

describe('isPathWithin', () => {
  it('accepts the folder itself and anything below it', () => {
    expect(isPathWithin('/work/app', '/work/app')).toBe(true);
    expect(isPathWithin('/work/app/src/a.ts', '/work/app')).toBe(true);
    expect(isPathWithin('/work/app/', '/work/app')).toBe(true);
    expect(isPathWithin('/anything', '/')).toBe(true);
  });

  it('refuses a sibling that merely shares a prefix', () => {
    expect(isPathWithin('/work/app-secrets/key.pem', '/work/app')).toBe(false);
    expect(isPathWithin('/work/apple', '/work/app')).toBe(false);
  });

  it('normalises ".." before comparing', () => {
    expect(isPathWithin('/work/app/../etc/passwd', '/work/app')).toBe(false);
    expect(isPathWithin('/work/app/src/../../app/x', '/work/app')).toBe(true);
    expect(isPathWithin('/work/app/..', '/work/app')).toBe(false);
  });

  it('refuses the parent and unrelated paths', () => {
    expect(isPathWithin('/work', '/work/app')).toBe(false);
    expect(isPathWithin('/etc/passwd', '/work/app')).toBe(false);
  });

  it('refuses relative paths, empty strings and NUL bytes', () => {
    expect(isPathWithin('app/x', '/work/app')).toBe(false);
    expect(isPathWithin('/work/app/x', 'app')).toBe(false);
    expect(isPathWithin('', '/work/app')).toBe(false);
    expect(isPathWithin('/work/app/x\0/../../etc', '/work/app')).toBe(false);
    expect(isSafePathString('a\0b')).toBe(false);
  });

  it('containingRoot names the first root that holds a path', () => {
    expect(containingRoot('/b/x', ['/a', '/b'])).toBe('/b');
    expect(containingRoot('/c/x', ['/a', '/b'])).toBeNull();
  });
});
