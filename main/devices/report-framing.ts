// Bytes for a HID printer travel as fixed-size output reports. hidapi wants
// every report prefixed with its report id, and with 0 when the device does
// not number its reports (the OS strips that 0 before it goes on the wire), so
// a 64-byte report is a 65-byte write. The last report is zero padded: the
// printer languages used here (TSPL, ESC/POS) ignore NULs between commands.

export interface OutputFraming {
  /** Payload bytes per report: the descriptor's output report size (8, 32, 64 ...). */
  reportSize: number;
  /** 0 when the device does not number its reports. */
  reportId: number;
}

export function checkFraming({ reportSize, reportId }: OutputFraming): void {
  if (!Number.isInteger(reportSize) || reportSize < 1 || reportSize > 4096) throw new RangeError(`bad HID report size ${reportSize}`);
  if (!Number.isInteger(reportId) || reportId < 0 || reportId > 0xff) throw new RangeError(`bad HID report id ${reportId}`);
}

/** The writes that carry `bytes`, in order; each is reportSize + 1 bytes long. */
export function frameOutputReports(bytes: Uint8Array, framing: OutputFraming): Uint8Array[] {
  checkFraming(framing);
  const { reportSize, reportId } = framing;
  const reports: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += reportSize) {
    const report = new Uint8Array(reportSize + 1);
    report[0] = reportId;
    report.set(bytes.subarray(off, off + reportSize), 1);
    reports.push(report);
  }
  return reports;
}

/** The payload of an input report: without the id byte when the device numbers its reports. */
export const inputPayload = (report: Uint8Array, { reportId }: Pick<OutputFraming, 'reportId'>): Uint8Array =>
  reportId === 0 ? report : report.subarray(1);
