/** Types for scripts/check-layers.mjs (used by test/unit/layers.test.ts). */
export declare const RENDERER_PACKAGES: string[];
export declare const SHARED_PACKAGES: string[];
export declare function importsOf(file: string, text: string): string[];
export declare function checkLayers(root: string): string[];
