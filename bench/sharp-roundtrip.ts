/**
 * The baseline of `npm run bench -- --only cli`: what it costs a process to
 * read a photo with sharp and write it back as a JPEG at the quality
 * `patina run` uses by default, with nothing else done to it.
 * Usage: node sharp-roundtrip.js <in> <out.jpg>
 */
import sharp from 'sharp';
import { DEFAULT_QUALITY } from '../src/main/imaging/encode';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: sharp-roundtrip <in> <out.jpg>');
await sharp(input, { autoOrient: true }).jpeg({ quality: DEFAULT_QUALITY }).toFile(output);
