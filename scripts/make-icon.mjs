// Draws assets/icon.png (512×512): a white shield holding a parcel on a teal
// tile. Run once with `node scripts/make-icon.mjs`; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const N = 512, SS = 4; // size, supersampling per axis
const TEAL = [14, 124, 102], WHITE = [255, 255, 255];

const inRoundedSquare = (x, y, m = 24, r = 96) => {
  const dx = Math.max(m + r - x, 0, x - (N - m - r)), dy = Math.max(m + r - y, 0, y - (N - m - r));
  return x >= m && x <= N - m && y >= m && y <= N - m && dx * dx + dy * dy <= r * r;
};
const inShield = (x, y) => {
  if (y < 92 || y > 440) return false;
  const t = Math.max(0, (y - 260) / 180); // straight sides, then tapering to a point
  return Math.abs(x - 256) <= 156 * Math.cos((t * Math.PI) / 2) ** 0.7;
};
// A box with an overhanging lid, taped down the middle.
const inParcel = (x, y) =>
  Math.abs(x - 256) > 12 && ((x >= 164 && x <= 348 && y >= 164 && y <= 210) || (x >= 178 && x <= 334 && y >= 220 && y <= 334));

function colour(x, y) {
  if (!inRoundedSquare(x, y)) return null;
  if (inShield(x, y) && !inParcel(x, y)) return WHITE;
  return TEAL;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let py = 0; py < N; py++) {
  raw[py * (N * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < N; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    const o = py * (N * 4 + 1) + 1 + px * 4;
    raw.set(a ? [r / a, g / a, b / a, (255 * a) / (SS * SS)].map(Math.round) : [0, 0, 0, 0], o);
  }
}

const chunk = (type, data) => {
  const len = Buffer.alloc(4), crc = Buffer.alloc(4), td = Buffer.concat([Buffer.from(type), data]);
  len.writeUInt32BE(data.length);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
writeFileSync(
  new URL('../assets/icon.png', import.meta.url),
  Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]),
);
