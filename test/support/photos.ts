import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TestApp } from './test-app';

/** A photo as a phone writes it: EXIF with the camera and the GPS position it was taken at. */
export async function photoWithGps(
  format: 'jpeg' | 'png' | 'webp' = 'jpeg',
  size = { width: 64, height: 48 },
  orientation?: number,
): Promise<Buffer> {
  const image = sharp({
    create: { ...size, channels: 3, background: { r: 200, g: 60, b: 20 } },
  }).toFormat(format);
  if (orientation) image.withMetadata({ orientation });
  return image
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'T1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '30/1 15/1 3000/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '120/1 10/1 0/1',
      },
    })
    .toBuffer();
}

/** A HEIC photo from a phone, with EXIF and GPS (see test/fixtures/README.md). */
export const HEIC_WITH_GPS = readFileSync(join(__dirname, '..', 'fixtures', 'gps-photo.heic'));

/** An ELF executable's first bytes: what a renamed program sent as photo.jpg starts with. */
export const EXECUTABLE = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
  Buffer.alloc(200),
]);

/** GET of a file as `user`, its body as bytes. */
export async function download(t: TestApp, user: string, path: string) {
  return t.http
    .get(path)
    .set(await t.as(user))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}
