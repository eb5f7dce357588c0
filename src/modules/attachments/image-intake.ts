import { createHash } from 'node:crypto';
import decodeHeic from 'heic-decode';
import sharp from 'sharp';
import { DomainError, domainError } from '../../common/errors/domain-error';

// Every upload is a new image: caching decoded ones only holds memory.
sharp.cache(false);

/** What is accepted, judged by the first bytes of the file, never by its name or declared type. */
export const SOURCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
/** What is kept: a HEIC photo becomes a JPEG, which every browser shows. */
export type StoredType = Exclude<SourceType, 'image/heic'>;

/** A phone photo has 12–50 million pixels; more is a decompression bomb, not a photo. */
const MAX_PIXELS = 60_000_000;
/** Kept photos are at most this wide and high: enough to read a house number across a street. */
const MAX_SIDE = 4096;
/** Thumbnails for lists and timelines. */
const THUMBNAIL_SIDE = 320;

/** Brands of the ISO media file a phone writes a HEIC photo in. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

export function sniffImage(head: Buffer): SourceType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return 'image/jpeg';
  }
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  if (head.toString('latin1', 4, 8) === 'ftyp' && HEIC_BRANDS.has(head.toString('latin1', 8, 12))) {
    return 'image/heic';
  }
  return null;
}

export interface KeptImage {
  sourceType: SourceType;
  mediaType: StoredType;
  body: Buffer;
  sha256: string;
  width: number;
  height: number;
  thumbnail: { body: Buffer; sha256: string };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const unreadable = () =>
  domainError(
    'ATTACHMENT.UNREADABLE',
    'The file starts like an image but cannot be read as one; send the photo as the camera saved it',
  );

/** sharp's name of each kept type. */
const SHARP_FORMAT: Record<StoredType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * Reads the photo and writes it anew: turned upright, at most MAX_SIDE on a side, in its own
 * format (HEIC: JPEG), without any metadata — no EXIF, so no GPS position, camera serial or
 * time. Writing it anew also means no byte of what was sent is served back: a file that is an
 * image and a script at once leaves only the image. Refuses what is not a JPEG, PNG, WebP or
 * HEIC image by its content.
 */
export async function keepImage(file: Buffer): Promise<KeptImage> {
  const sourceType = sniffImage(file);
  if (!sourceType) {
    throw domainError(
      'ATTACHMENT.UNSUPPORTED_TYPE',
      'Only photos are taken: JPEG, PNG, WebP or HEIC, judged by the content of the file, not its name',
    );
  }
  const mediaType: StoredType = sourceType === 'image/heic' ? 'image/jpeg' : sourceType;
  let body: Buffer;
  try {
    const decoded =
      sourceType === 'image/heic' ? await heicPixels(file) : await decode(file, mediaType);
    const upright = decoded
      .autoOrient()
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true });
    body = await encode(upright, mediaType).toBuffer();
  } catch (e) {
    throw e instanceof DomainError ? e : unreadable();
  }
  const kept = sharp(body);
  const { width, height } = await kept.metadata();
  const thumbnail = await kept
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 70 })
    .toBuffer();
  return {
    sourceType,
    mediaType,
    body,
    sha256: sha256(body),
    width,
    height,
    thumbnail: { body: thumbnail, sha256: sha256(thumbnail) },
  };
}

/** The decoded content must be what its first bytes said (sharp reads more formats than these). */
async function decode(file: Buffer, type: StoredType): Promise<sharp.Sharp> {
  const image = sharp(file, { limitInputPixels: MAX_PIXELS });
  const { format } = await image.metadata();
  if (format !== SHARP_FORMAT[type]) throw unreadable();
  return image;
}

function encode(image: sharp.Sharp, type: StoredType): sharp.Sharp {
  switch (type) {
    case 'image/jpeg':
      return image.jpeg({ quality: 85 });
    case 'image/png':
      return image.png();
    case 'image/webp':
      return image.webp({ quality: 85 });
  }
}

/**
 * libvips as shipped with sharp reads no HEVC, so a HEIC photo is decoded by libheif (compiled to
 * WebAssembly) into pixels, after its size is checked; libheif applies the photo's rotation.
 */
async function heicPixels(file: Buffer): Promise<sharp.Sharp> {
  const images = await decodeHeic.all({ buffer: file });
  try {
    const [primary] = images;
    if (!primary || primary.width * primary.height > MAX_PIXELS) throw unreadable();
    const { width, height, data } = await primary.decode();
    return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      raw: { width, height, channels: 4 },
    });
  } finally {
    images.dispose();
  }
}
