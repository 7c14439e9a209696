const SVG_NS = 'http://www.w3.org/2000/svg';
let sequence = 0;

/**
 * A colour matrix as a filter a 2D canvas can draw through
 * (`ctx.filter = 'url(#…)'`): an SVG feColorMatrix in the page, run by the
 * browser's compositor, so the preview follows a slider within a frame on a
 * photo of any size. sRGB interpolation: the matrix is on the photo's code
 * values, as the engine applies it (SVG filters default to linear light).
 * Each new matrix gets a new element id: a canvas may keep what an id meant
 * when it was first drawn.
 */
export class ToneFilter {
  private svg: SVGSVGElement | null = null;
  private values: string | null = null;
  private reference: string | null = null;

  /** The CSS filter for `matrix` (20 feColorMatrix values), or null to draw unfiltered. */
  set(matrix: readonly number[] | null): string | null {
    if (!matrix) {
      this.dispose();
      return null;
    }
    const values = matrix.map((v) => Number(v.toFixed(5))).join(' ');
    if (values === this.values) return this.reference;
    this.dispose();
    const id = `patina-tone-${++sequence}`;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', '0');
    svg.setAttribute('height', '0');
    svg.setAttribute('aria-hidden', 'true');
    svg.style.position = 'absolute';
    const filter = document.createElementNS(SVG_NS, 'filter');
    filter.id = id;
    filter.setAttribute('color-interpolation-filters', 'sRGB');
    const colour = document.createElementNS(SVG_NS, 'feColorMatrix');
    colour.setAttribute('type', 'matrix');
    colour.setAttribute('values', values);
    filter.append(colour);
    svg.append(filter);
    document.body.append(svg);
    this.svg = svg;
    this.values = values;
    this.reference = `url(#${id})`;
    return this.reference;
  }

  dispose(): void {
    this.svg?.remove();
    this.svg = null;
    this.values = null;
    this.reference = null;
  }
}
