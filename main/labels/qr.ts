// QR modules from the `qrcode` package (already used for TOTP enrolment): a
// correct QR encoder (Reed–Solomon, masks, versions) is not worth writing
// again, and it is several times faster than bwip-js's. Error correction M, as
// the native TSPL/ESC-POS commands ask of the printer, so both draw one size.
import QRCode from 'qrcode';

export const QR_ECC = 'M';

export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, `size * size`; 1 is dark. */
  dark: Uint8Array;
}

export function qrMatrix(data: string): QrMatrix {
  const { modules } = QRCode.create(data, { errorCorrectionLevel: QR_ECC });
  return { size: modules.size, dark: Uint8Array.from(modules.data) };
}
