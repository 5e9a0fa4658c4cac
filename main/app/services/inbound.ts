// Inbound application service: parcels arriving, by scan or by manifest. The
// audit entry commits with the arrival (one write to disk per scan, not two)
// and with the import's last slice.
import type { Actor } from '../../../shared/actor';
import type { ScanInInput, ScanInResult } from '../../../shared/counter';
import type { ImportReport } from '../../../shared/import-report';
import { manifestImported, scannedIn } from '../../audit/events';
import { importManifest, type ImportProgress, type ManifestSource } from '../../inbound/import-manifest';
import { ScanIn } from '../../inbound/scan-in';
import { notifyCounters } from '../../store/engine/postgres-events';
import type { ServiceDeps } from './deps';

export class InboundService {
  private readonly scanner: ScanIn;

  constructor(private readonly deps: ServiceDeps) {
    const { station, now } = deps;
    this.scanner = new ScanIn(station, { now });
  }

  scanIn(actor: Actor, input: ScanInInput): Promise<ScanInResult> {
    return this.deps.tx.run(async (tx) => {
      const result = await this.scanner.scan(tx, actor, input);
      await this.deps.oversight.record(tx, scannedIn(actor, { parcelId: result.parcelId, waybillNo: result.parcel.waybillNo, duplicate: result.duplicate, created: result.created }));
      if (!result.duplicate) await notifyCounters(tx, { event: 'scan-in', parcelId: result.parcelId, workstation: this.deps.workstation });
      return result;
    });
  }

  /** Streams in slices of rows; the audit entry commits with the last one. */
  importManifest(actor: Actor, fileName: string, source: ManifestSource, onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
    return importManifest(this.deps.station, fileName, source, {
      onProgress,
      now: this.deps.now,
      onCommit: (tx, report) => this.deps.oversight.record(tx, manifestImported(actor, report)),
      transaction: (fn) => this.deps.tx.run(fn),
    });
  }
}
