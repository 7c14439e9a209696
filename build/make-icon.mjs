#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (1024x1024), the source electron-builder
// derives every platform's icon sizes from, and to the renderer's favicon
// (src/renderer/public/favicon.png, 64x64). Run after editing the SVG:
//   node build/make-icon.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = path.dirname(fileURLToPath(import.meta.url));
const info = await sharp(path.join(dir, 'icon.svg'), { density: 72 })
  .resize(1024, 1024)
  .png({ compressionLevel: 9 })
  .toFile(path.join(dir, 'icon.png'));
console.log(`build/icon.png ${info.width}x${info.height}, ${info.size} bytes`);

const favicon = path.join(dir, '..', 'src', 'renderer', 'public', 'favicon.png');
const small = await sharp(path.join(dir, 'icon.svg'), { density: 72 }).resize(64, 64).png({ compressionLevel: 9 }).toFile(favicon);
console.log(`src/renderer/public/favicon.png ${small.width}x${small.height}, ${small.size} bytes`);
