// What the counter services (入库 / 出库 / 滞留 / 退回) hand to the UI. Personal
// fields stay masked as in MaskedParcel; customers are told apart in main by
// their phone's blind index, which never leaves it.
import type { LookupQuery } from './ipc/contract';
import type { Carrier, MaskedParcel } from './parcel';

export interface CounterParcel extends MaskedParcel {
  /** Opaque handle for follow-up calls (handover, flags, return batches). */
  id: number;
  shelf: number | null;
  layer: number | null;
  /** When it was scanned in (ISO); null while only expected. */
  arrivedAt: string | null;
  /** Calendar days on the shelf in the station's time zone (0 on the day it arrived); null off the shelf. */
  daysOnShelf: number | null;
}

export interface RecipientInput {
  name: string;
  phone: string;
  address?: string;
}

export interface ScanInInput {
  waybill: string;
  /** Needed only when the number's shape does not give the carrier away. */
  carrier?: Carrier;
  /** Typed from the paper waybill when the parcel is in no manifest. */
  recipient?: RecipientInput;
  /** The shelf at hand, when the clerk picks the slot. */
  shelf?: number;
}

/** What a shelf label needs, and whether this scan changed anything. */
export interface ScanInResult {
  /** Opaque handle for follow-up calls (label preview and print). */
  parcelId: number;
  parcel: MaskedParcel;
  /** Already on the shelf: the existing code, nothing recorded twice. */
  duplicate: boolean;
  /** Not in any manifest: created from the typed recipient. */
  created: boolean;
}

/** Proof that the person at the counter is this customer: a pickup code or a parcel's waybill. */
export interface SecondFactor {
  by: 'code' | 'waybill';
  value: string;
}

export type CounterQuery = LookupQuery & { second?: SecondFactor };

/** One of several customers sharing a phone tail: no names, codes or shelves until narrowed. */
export interface CustomerMatch {
  phone: string;
  parcels: number;
}

/** A parcel that matched but is not on the shelf: still to arrive, or already handed over (and when). No name. */
export interface NotOnShelf {
  status: 'expected' | 'picked_up';
  carrier: Carrier;
  handedAt: string | null;
}

export type CounterLookupResult = (
  | { kind: 'customer'; parcels: CounterParcel[] }
  | { kind: 'choose'; customers: CustomerMatch[]; more: boolean }
  /** `elsewhere`: the newest matches in the manifest not yet scanned in, or already handed over. */
  | { kind: 'none'; elsewhere?: NotOnShelf[] }
) & {
  /** Ids of matching parcels whose stored row failed its integrity check: left out of the answer, shown as TAMPERED. */
  tampered?: number[];
  /**
   * After a tail lookup: how many different tails this person has looked up since their last handover,
   * against the number that locks the shift, so the counter can warn before it does.
   */
  tails?: { count: number; limit: number };
};

export interface HandoverInput {
  /** Any parcel of the customer being served: the scanned parcel must share its owner. */
  customerParcelId: number;
  waybill: string;
  proxy?: boolean;
  proxyNote?: string;
}

export interface HandoverResult {
  handoverId: number;
  parcel: CounterParcel;
  /** The customer's parcels still on the shelf. */
  remaining: number;
}

export const PROBLEM_KINDS = ['damaged', 'refused', 'wrong_station', 'other'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Why a parcel is in the problem list: a clerk's flag, or not found by a closed stocktake. */
export type ProblemReason = ProblemKind | 'missing';

export interface ProblemParcel {
  /** The clerk's flag; null for a parcel a stocktake missed (`stocktakeId` names it). */
  flagId: number | null;
  kind: ProblemReason;
  flaggedAt: string;
  parcel: CounterParcel;
  stocktakeId?: number;
}

export interface ReturnBatchSummary {
  id: number;
  carrier: Carrier;
  createdAt: string;
  handedToCourierAt: string | null;
  parcels: number;
  scanned: number;
}

export interface ReturnBatch extends ReturnBatchSummary {
  items: (CounterParcel & { scanned: boolean })[];
}

export interface DayCounts {
  /** Station-local date, YYYY-MM-DD. */
  day: string;
  arrived: number;
  pickedUp: number;
  returned: number;
  /** On the shelf at the end of the day (now, for today). */
  onShelf: number;
  overdue: number;
}

export interface DailyReport {
  /** Newest first: today, yesterday, … */
  days: DayCounts[];
  shelves: { shelf: number; parcels: number }[];
}

export interface CounterSettings {
  shelves: number;
  layers: number;
  overdueDays: number;
  undoMinutes: number;
  /** IANA zone that decides what "today" is. */
  timeZone: string;
}

/** One person's counter work in a shift or a day: counts only. */
export interface ShiftFigures {
  scannedIn: number;
  handedOver: number;
  returned: number;
  lookups: number;
  unmasks: number;
}

export interface StaffDayFigures extends ShiftFigures {
  userId: number;
  username: string;
  displayName: string;
}

/** Who picks the slot at scan-in: the app (least occupied), or the clerk (the shelf at hand). */
export const SLOT_MODES = ['app', 'clerk'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];

/** The shelves as the station arranges them, beside the counter's layout. */
export interface ShelfPlan {
  slotMode: SlotMode;
  /** Shelf n's name at index n − 1 ('' = just its number). */
  shelfNames: string[];
  /** Parcels one shelf-layer holds; 0 = no limit. */
  layerCapacity: number;
  /** Overdue days for a carrier, where it differs from the station's. */
  carrierOverdueDays: Partial<Record<Carrier, number>>;
}

export const SHELF_NAME_MAX = 12;
export const LAYER_CAPACITY_MAX = 9999;
