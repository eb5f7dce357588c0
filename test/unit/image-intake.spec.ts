import sharp from 'sharp';
import { DomainError } from '../../src/common/errors/domain-error';
import { keepImage, sniffImage } from '../../src/modules/attachments/image-intake';
import { EXECUTABLE, HEIC_WITH_GPS, photoWithGps } from '../support/photos';

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('not refused');
}

const ELF = EXECUTABLE;
const HEIC = HEIC_WITH_GPS;

describe('photos are judged by their content', () => {
  it.each([
    ['a JPEG', () => photoWithGps('jpeg'), 'image/jpeg'],
    ['a PNG', () => photoWithGps('png'), 'image/png'],
    ['a WebP', () => photoWithGps('webp'), 'image/webp'],
    ['a HEIC', () => Promise.resolve(HEIC), 'image/heic'],
    ['an executable (ELF)', () => Promise.resolve(ELF), null],
    ['a Windows executable', () => Promise.resolve(Buffer.from('MZ\x90\x00\x03', 'latin1')), null],
    [
      'an SVG',
      () => Promise.resolve(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
      null,
    ],
    ['HTML', () => Promise.resolve(Buffer.from('<!doctype html><script>alert(1)</script>')), null],
    ['nothing', () => Promise.resolve(Buffer.alloc(0)), null],
  ])('%s', async (_name, make, type) => {
    expect(sniffImage(await make())).toBe(type);
  });
});

describe('a kept photo', () => {
  it.each(['jpeg', 'png', 'webp'] as const)(
    'a %s keeps its format and loses its EXIF (GPS)',
    async (format) => {
      const sent = await photoWithGps(format);
      expect((await sharp(sent).metadata()).exif).toBeDefined();
      const kept = await keepImage(sent);
      const meta = await sharp(kept.body).metadata();
      expect(meta.format).toBe(format);
      expect(meta.exif).toBeUndefined();
      expect(kept.body.includes('TestPhone')).toBe(false);
      expect({ width: kept.width, height: kept.height }).toEqual({ width: 64, height: 48 });
      expect(kept.sha256).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('a HEIC photo becomes a JPEG without its EXIF', async () => {
    expect(HEIC.includes('TestPhone')).toBe(true);
    const kept = await keepImage(HEIC);
    expect(kept).toMatchObject({ sourceType: 'image/heic', mediaType: 'image/jpeg', width: 64 });
    const meta = await sharp(kept.body).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(kept.body.includes('TestPhone')).toBe(false);
  });

  it('is turned upright by its EXIF orientation before the EXIF goes', async () => {
    const sent = await photoWithGps('jpeg', { width: 64, height: 48 }, 6);
    expect((await sharp(sent).metadata()).orientation).toBe(6);
    const kept = await keepImage(sent);
    expect({ width: kept.width, height: kept.height }).toEqual({ width: 48, height: 64 });
  });

  it('is at most 4096 px on a side, with a JPEG thumbnail of at most 320 px', async () => {
    const kept = await keepImage(await photoWithGps('png', { width: 5000, height: 1000 }));
    expect({ width: kept.width, height: kept.height }).toEqual({ width: 4096, height: 819 });
    const thumb = await sharp(kept.thumbnail.body).metadata();
    expect({ format: thumb.format, width: thumb.width, height: thumb.height }).toEqual({
      format: 'jpeg',
      width: 320,
      height: 64,
    });
  });

  it('keeps no byte of a script hidden after the image', async () => {
    const polyglot = Buffer.concat([
      await photoWithGps('jpeg'),
      Buffer.from('<script>alert(document.cookie)</script>'),
    ]);
    const kept = await keepImage(polyglot);
    expect(kept.body.includes('<script>')).toBe(false);
  });
});

describe('what is refused', () => {
  it('an executable renamed to photo.jpg: ATTACHMENT.UNSUPPORTED_TYPE', async () => {
    expect(await refusal(keepImage(ELF))).toBe('ATTACHMENT.UNSUPPORTED_TYPE');
  });

  it('a JPEG cut short: ATTACHMENT.UNREADABLE', async () => {
    const whole = await photoWithGps('jpeg', { width: 400, height: 300 });
    expect(await refusal(keepImage(whole.subarray(0, whole.length / 2)))).toBe(
      'ATTACHMENT.UNREADABLE',
    );
  });

  it('a JPEG start on something else: ATTACHMENT.UNREADABLE', async () => {
    const png = await photoWithGps('png');
    const lying = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]);
    expect(await refusal(keepImage(lying))).toBe('ATTACHMENT.UNREADABLE');
  });

  it('a HEIC cut short: ATTACHMENT.UNREADABLE', async () => {
    expect(await refusal(keepImage(HEIC.subarray(0, 200)))).toBe('ATTACHMENT.UNREADABLE');
  });

  it('too many pixels (a decompression bomb): ATTACHMENT.UNREADABLE', async () => {
    const bomb = await sharp({
      create: { width: 10_000, height: 8_000, channels: 3, background: '#fff' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(await refusal(keepImage(bomb))).toBe('ATTACHMENT.UNREADABLE');
  });
});
