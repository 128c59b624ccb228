/**
 * Uploaded logos (partners', the organiser's, the events'): decoded by sharp and re-encoded, so the file's own bytes
 * say what it is (a PNG sent as image/jpeg is refused, anything else is refused), images over LOGO_MAX_PIXELS are
 * refused before decoding, every metadata block is dropped, and only the re-encoded PNG (transparency kept, at most
 * 600 × 300) is kept. The organiser's and the events' logos may also be SVG (`{ svg: true }`), the form designers
 * deliver: drawn once by librsvg into that PNG, so no SVG is ever served or embedded (a script in it never reaches a
 * page, an e-mail or a PDF); one that scripts, declares entities, embeds foreign content or points outside itself is
 * refused all the same. Errors in the catalogues as `errors.logo_*`.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from './errors.js';

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export const LOGO_MAX_PIXELS = 25_000_000;
export const LOGO_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
/** What the file input offers. */
export const LOGO_ACCEPT = Object.values(LOGO_TYPES).join(',');
/** What the file input offers where an SVG logo is taken too (the organiser's, an event's). */
export const LOGO_ACCEPT_SVG = `${LOGO_ACCEPT},image/svg+xml`;
/** What an SVG logo may not hold: scripts, event handlers, entities, foreign content, references out of the file. */
const SVG_UNSAFE =
  /<script|<!ENTITY|<!DOCTYPE[^>]*\[|<foreignObject|\son[a-z]+\s*=|(?:xlink:)?href\s*=\s*["'](?!#|data:image\/(?:png|jpeg|webp);)/i;
const MIN_SIDE = 32;

export type ProcessedLogo = { png: Buffer; width: number; height: number; sha256: string };

/** Decodes and re-encodes an uploaded logo; throws `logo_too_large`, `logo_type_unsupported`, `logo_type_mismatch`, `logo_too_many_pixels`, `logo_unreadable`, `logo_too_small`. */
export async function processLogo(
  input: Buffer,
  declaredType?: string,
  opts: { svg?: boolean } = {},
): Promise<ProcessedLogo> {
  if (input.length > LOGO_MAX_BYTES)
    throw new DomainError('logo_too_large', 413, { max: LOGO_MAX_BYTES / 1024 / 1024 });
  if (input.length === 0) throw new DomainError('logo_unreadable', 400);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('logo_type_unsupported', 415);
  }
  const svg = meta.format === 'svg';
  if (svg && !opts.svg) throw new DomainError('logo_type_unsupported', 415);
  const types: Record<string, string> = svg ? { svg: 'image/svg+xml' } : LOGO_TYPES;
  const format = meta.format as string | undefined;
  if (!format || !(format in types) || (meta.pages ?? 1) > 1) throw new DomainError('logo_type_unsupported', 415);
  const declared = declaredType?.split(';')[0].trim().toLowerCase();
  if (
    declared &&
    declared !== 'application/octet-stream' &&
    declared !== types[format] &&
    !(declared === 'image/jpg' && format === 'jpeg') &&
    !(svg && declared === 'text/xml')
  )
    throw new DomainError('logo_type_mismatch', 415, { declared, actual: types[format] });
  if (svg && SVG_UNSAFE.test(input.toString('utf8'))) throw new DomainError('logo_svg_unsafe', 415);
  if (!meta.width || !meta.height || meta.width * meta.height > LOGO_MAX_PIXELS)
    throw new DomainError('logo_too_many_pixels', 413);
  try {
    // An SVG is drawn at the density that makes it at least 600 px wide or 300 px high (then fitted like any logo).
    const density = svg ? Math.min(2400, Math.max(72, 72 * Math.max(600 / meta.width, 300 / meta.height))) : undefined;
    const { data, info } = await sharp(input, { limitInputPixels: LOGO_MAX_PIXELS, failOn: 'error', density })
      .rotate()
      .resize(600, 300, { fit: 'inside', withoutEnlargement: !svg })
      .toColourspace('srgb')
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    if (Math.max(info.width, info.height) < MIN_SIDE) throw new DomainError('logo_too_small', 400, { min: MIN_SIDE });
    return {
      png: data,
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('logo_unreadable', 400);
  }
}

/** A multipart form's file part and fields (`@fastify/multipart` with `attachFieldsToBody`). */
export type MultipartBody = Record<
  string,
  { type?: string; value?: unknown; mimetype?: string; toBuffer?: () => Promise<Buffer> } | undefined
>;

/** The uploaded file of a form field, or undefined when none was chosen. */
export async function uploadedFile(
  body: unknown,
  field: string,
): Promise<{ bytes: Buffer; mimetype?: string } | undefined> {
  const part = (body as MultipartBody | undefined)?.[field];
  if (part?.type !== 'file' || !part.toBuffer) return undefined;
  const bytes = await part.toBuffer();
  if (!bytes.length) return undefined;
  return { bytes, mimetype: part.mimetype };
}

/** A text field of a multipart form. */
export const formField = (body: unknown, field: string): string => {
  const part = (body as MultipartBody | undefined)?.[field];
  return typeof part?.value === 'string' ? part.value : '';
};
