// Inbound application service: parcels arriving, by scan or by manifest. The
// audit entry commits with the arrival (one write to disk per scan, not two)
// and with the import's last slice.
import type { Actor } from '../../../shared/actor';
import type { ScanInInput, ScanInResult } from '../../../shared/counter';
import type { ImportReport } from '../../../shared/import-report';
import { manifestImported, scannedIn } from '../../audit/events';
import type { Oversight } from '../../audit/oversight';
import { importManifest, type ImportProgress, type ManifestSource } from '../../inbound/import-manifest';
import { ScanIn } from '../../inbound/scan-in';
import type { Station } from '../../store/station';
import type { ServiceDeps } from './deps';
import type { Transactions } from './transaction';

export class InboundService {
  private readonly scanner: ScanIn;

  private readonly station: Station;
  private readonly oversight: Oversight;
  private readonly tx: Transactions;
  private readonly now: () => Date;

  constructor({ station, oversight, tx, now }: ServiceDeps) {
    this.station = station;
    this.oversight = oversight;
    this.tx = tx;
    this.now = now;
    this.scanner = new ScanIn(station, { now });
  }

  scanIn(actor: Actor, input: ScanInInput): ScanInResult {
    return this.tx.run(() => {
      const result = this.scanner.scan(actor, input);
      this.oversight.record(scannedIn(actor, { waybillNo: result.parcel.waybillNo, duplicate: result.duplicate, created: result.created }));
      return result;
    });
  }

  /** Streams in slices of rows; the audit entry commits with the last one. */
  importManifest(actor: Actor, fileName: string, source: ManifestSource, onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
    return importManifest(this.station, fileName, source, {
      onProgress,
      now: this.now,
      onCommit: (report) => this.oversight.record(manifestImported(actor, report)),
    });
  }
}
