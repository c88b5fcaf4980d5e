// Draws LinkedOut's icon (a white switch, turned off, on a LinkedIn-blue rounded square) at any size and writes
// extension/icons/icon<N>.png. Dependency-free: 4×4 supersampled coverage, PNG encoded with node:zlib.
// The geometry is measured from the original 128 px icon, in 128ths.
//   node store/tools/icons.mjs            writes 64 and 96 (the sizes added for the stores)
//   node store/tools/icons.mjs 16 32 48   writes those sizes
/* global Buffer, console, process */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension', 'icons');
const BLUE = [0x0a, 0x66, 0xc2];
const WHITE = [0xff, 0xff, 0xff];
const SQUARE = { x0: 2, y0: 2, x1: 126, y1: 126, r: 22 };
const PILL = { x0: 14, y0: 47, x1: 114, y1: 81, r: 17 };
const KNOB = { cx: 34, cy: 64, r: 11 };
const SAMPLES = 4;

function inRoundRect(x, y, { x0, y0, x1, y1, r }) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** [r, g, b, a] of one pixel (alpha-weighted average of the samples). */
function pixel(px, py, size) {
  const scale = 128 / size;
  let a = 0;
  const sum = [0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      const x = (px + (sx + 0.5) / SAMPLES) * scale;
      const y = (py + (sy + 0.5) / SAMPLES) * scale;
      if (!inRoundRect(x, y, SQUARE)) continue;
      const knob = (x - KNOB.cx) ** 2 + (y - KNOB.cy) ** 2 <= KNOB.r ** 2;
      const colour = inRoundRect(x, y, PILL) && !knob ? WHITE : BLUE;
      a += 1;
      for (let i = 0; i < 3; i += 1) sum[i] += colour[i];
    }
  }
  if (a === 0) return [0, 0, 0, 0];
  return [...sum.map((v) => Math.round(v / a)), Math.round((255 * a) / (SAMPLES * SAMPLES))];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function png(size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x += 1) {
      Buffer.from(pixel(x, y, size)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sizes = process.argv.slice(2).map(Number);
for (const size of sizes.length ? sizes : [64, 96]) {
  if (!Number.isInteger(size) || size < 8 || size > 1024) throw new Error(`not an icon size: ${size}`);
  const file = join(OUT, `icon${size}.png`);
  writeFileSync(file, png(size));
  console.log(`wrote ${file}`);
}
