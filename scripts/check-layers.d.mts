/** Types for scripts/check-layers.mjs (used by test/unit/layers.test.ts). */
export declare const RENDERER_PACKAGES: string[];
export declare const SHARED_PACKAGES: string[];
export declare function importsOf(file: string, text: string): string[];
export declare function checkLayers(root: string): string[];
export declare const ENGINE_FLOORS: string[][];
export declare function checkEngineOrder(fromRel: string, targetRel: string): string | null;
export declare function findCircles(graph: Map<string, string[]>): string[][];
