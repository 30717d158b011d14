import { describe, it, expect } from 'vitest';
import { slugify } from '../src/slugify';

describe('slugify', () => {
  it('slugifies hello world', () => {
    expect(slugify('hello world')).toBe('hello-world');
  });

  it('slugifies Hello World', () => {
    expect(slugify('Hello World')).toBe('hello-world');
  });

  it('slugifies hello  world', () => {
    expect(slugify('hello  world')).toBe('hello-world');
  });

  it('slugifies hello, world', () => {
    expect(slugify('hello, world')).toBe('hello-world');
  });

  it('slugifies hello-world', () => {
    expect(slugify('hello-world')).toBe('hello-world');
  });

  it('slugifies hello_world', () => {
    expect(slugify('hello_world')).toBe('hello-world');
  });

});
