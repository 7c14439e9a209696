import { describe, expect, it } from 'vitest';
import { moveIndex } from './roving-focus';

describe('moveIndex', () => {
  it('moves along the orientation, wrapping, with Home and End', () => {
    expect(moveIndex('ArrowDown', 0, 4, 'vertical')).toBe(1);
    expect(moveIndex('ArrowUp', 0, 4, 'vertical')).toBe(3);
    expect(moveIndex('ArrowDown', 3, 4, 'vertical')).toBe(0);
    expect(moveIndex('ArrowRight', 1, 4, 'horizontal')).toBe(2);
    expect(moveIndex('ArrowLeft', 1, 4, 'horizontal')).toBe(0);
    expect(moveIndex('Home', 2, 4, 'horizontal')).toBe(0);
    expect(moveIndex('End', 0, 4, 'vertical')).toBe(3);
  });

  it('leaves keys across the orientation, and other keys, alone', () => {
    expect(moveIndex('ArrowLeft', 1, 4, 'vertical')).toBeNull();
    expect(moveIndex('ArrowDown', 1, 4, 'horizontal')).toBeNull();
    expect(moveIndex('Enter', 1, 4, 'horizontal')).toBeNull();
    expect(moveIndex('ArrowRight', 0, 0, 'horizontal')).toBeNull();
  });

  it('starts from the first item when focus is not on one (index -1)', () => {
    expect(moveIndex('ArrowRight', -1, 3, 'horizontal')).toBe(0);
  });
});
