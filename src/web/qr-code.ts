import type QRCodeModule from 'qrcode';

/**
 * A QR code as inline SVG markup, drawn by `qrcode` (maintained, no native parts) on the server: the
 * document page has no script and a CSP without images, and inline SVG needs neither. Error
 * correction M survives a smudged print; the 4-module quiet zone is what phone scanners expect.
 * The markup holds only paths, never the encoded text, so nothing in it needs escaping.
 * The library is loaded with the first page drawn, not at start: only printed documents need it.
 */
export async function qrSvg(text: string): Promise<string> {
  const QRCode: typeof QRCodeModule = (await import('qrcode')).default;
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}
