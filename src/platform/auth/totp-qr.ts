// The QR code an authenticator app scans, as an SVG for the set-up pages (a page renders it as is).
import QRCode from 'qrcode';
import { totpUri } from './secrets.ts';

export function totpQrSvg(secret: string, label: string, width = 220): Promise<string> {
  return QRCode.toString(totpUri(secret, label), { type: 'svg', margin: 1, width });
}
