// Shelves application service: moving parcels between shelf-layers (one, or
// a whole layer) and the shelf-layers' own labels. A move is audited with
// the parcels it moved; a parcel a stocktake had missed is found by it.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import { ParcelMoves, type Moved } from '../../counter/moves';
import { parseShelfLayer, slotName } from '../../counter/shelf-layer';
import type { Slot } from '../../counter/shelf';
import { encodeLayout, type LabelFormat } from '../../labels';
import type { Dpi } from '../../labels/layout';
import { layoutShelfLabel, SHELF_LABEL_SIZES, type ShelfLabelSize, type ShelfSymbol } from '../../labels/shelf-label';
import type { LabelSetup } from '../../devices/printer-labels';
import { missingParcels } from '../../stocktake/missing';
import type { Tx } from '../../store/engine/store';
import type { ServiceDeps } from './deps';

export interface ShelfLabelRequest {
  /** Shelf-layer barcodes ("3-2"); none for every configured one. */
  layers?: readonly string[];
  symbol: ShelfSymbol;
  /** None: this counter's printer's size where it is a shelf size, else 60×40. */
  size?: ShelfLabelSize;
  format: LabelFormat;
}

const isShelfSize = (size: string): size is ShelfLabelSize => (SHELF_LABEL_SIZES as readonly string[]).includes(size);
const slotOf = (text: string): Slot => parseShelfLayer(text) ?? fail(text);
const fail = (text: string): never => {
  throw new AppError('SHELF_LAYER_UNKNOWN', text.slice(0, 16));
};

export class ShelvesService {
  private readonly moves: ParcelMoves;

  constructor(
    private readonly deps: ServiceDeps,
    /** This counter's printer's label size and language. */
    private readonly labelSetup: () => Promise<LabelSetup>,
  ) {
    this.moves = new ParcelMoves(deps.now);
  }

  /** The parcel scanned onto the shelf-layer scanned (in either order: the screen pairs them); already there, `from` equals `to`. */
  move(actor: Actor, input: { waybill: string; to: string }): Promise<Moved> {
    const to = slotOf(input.to);
    return this.record(actor, async (tx) => [await this.moves.move(tx, input.waybill, to)], { to: slotName(to) }).then((m) => m[0]);
  }

  /** Every parcel on one layer onto another. */
  moveLayer(actor: Actor, input: { from: string; to: string }): Promise<Moved[]> {
    const from = slotOf(input.from);
    const to = slotOf(input.to);
    return this.record(actor, (tx) => this.moves.moveLayer(tx, from, to), { from: slotName(from), to: slotName(to) });
  }

  /** One label per shelf-layer, each a print job of its own; no parcel, nothing personal. */
  async shelfLabels(req: ShelfLabelRequest): Promise<{ slot: string; bytes: Uint8Array }[]> {
    const { shelves, layers } = await this.deps.settings.counter(this.deps.station.store);
    const slots = req.layers?.map((l) => slotName(slotOf(l))) ??
      Array.from({ length: shelves * layers }, (_, i) => slotName({ shelf: 1 + Math.floor(i / layers), layer: 1 + (i % layers) }));
    const dpi = ((await this.deps.settings.get(this.deps.station.store, 'labels.dpi')) === 300 ? 300 : 203) as Dpi;
    const setup = await this.labelSetup();
    const size = req.size ?? (isShelfSize(setup.size) ? setup.size : '60x40');
    const out: { slot: string; bytes: Uint8Array }[] = [];
    for (const slot of slots) out.push({ slot, bytes: await encodeLayout(layoutShelfLabel(slot, { size, dpi, symbol: req.symbol, language: setup.language }), req.format) });
    return out;
  }

  private record(actor: Actor, work: (tx: Tx) => Promise<Moved[]>, detail: Record<string, string>): Promise<Moved[]> {
    return this.deps.tx.run(async (tx) => {
      const results = await work(tx);
      const at = this.deps.now().toISOString();
      // Scanned for a move is seen, even where it already was.
      for (const m of results) await missingParcels.clear(tx, m.parcelId, 'move', at);
      const moved = results.filter((m) => m.from !== m.to);
      await this.deps.oversight.record(tx, { action: 'parcels.move', actor, parcelIds: moved.map((m) => m.parcelId), detail: { ...detail, moved: moved.length } });
      return results;
    });
  }
}
