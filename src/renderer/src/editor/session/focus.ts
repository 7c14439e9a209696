/**
 * For toolbars over the canvas: a mouse click on a button runs it without
 * taking keyboard focus, so Space (pan), Tab (compare) and the other keys
 * keep working on the photo. Keyboard users still Tab to the buttons.
 */
export function keepCanvasFocus(event: MouseEvent): void {
  if (event.button === 0 && event.target instanceof Element && event.target.closest('button')) event.preventDefault();
}
