import { BrushTool } from './brush-tool';
import { LassoTool } from './lasso-tool';
import { RectTool } from './rect-tool';
import type { Tool, ToolHost, ToolId } from './tool';

export const TOOL_IDS: readonly ToolId[] = ['brush', 'eraser', 'lasso', 'rect'];

export function createTool(id: ToolId, host: ToolHost): Tool {
  switch (id) {
    case 'brush':
    case 'eraser':
      return new BrushTool(id, host);
    case 'lasso':
      return new LassoTool(host);
    case 'rect':
      return new RectTool(host);
  }
}
