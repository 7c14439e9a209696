import { describe, expect, it } from 'vitest';
import { controlOwnsKey } from './keyboard';

describe('who gets Tab and Space', () => {
  it('Space stays with the canvas when a slider has focus, so Space+drag pans', () => {
    expect(controlOwnsKey(' ', { tag: 'input', type: 'range' })).toBe(false);
    expect(controlOwnsKey(' ', { tag: 'div', role: 'slider' })).toBe(false);
  });

  it('Space presses buttons and ticks boxes', () => {
    expect(controlOwnsKey(' ', { tag: 'button' })).toBe(true);
    expect(controlOwnsKey(' ', { tag: 'input', type: 'checkbox' })).toBe(true);
    expect(controlOwnsKey(' ', { tag: 'select' })).toBe(true);
  });

  it('Tab moves focus on from any control, sliders included', () => {
    expect(controlOwnsKey('Tab', { tag: 'input', type: 'range' })).toBe(true);
    expect(controlOwnsKey('Tab', { tag: 'button' })).toBe(true);
  });

  it("with nothing focused both keys are the editor's", () => {
    expect(controlOwnsKey(' ', null)).toBe(false);
    expect(controlOwnsKey('Tab', null)).toBe(false);
  });
});
