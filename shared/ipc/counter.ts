// Channels: the counter — scan-in, pickup and handover, overdue and returns,
// problem flags, daily counts, counter settings.
import { z } from 'zod';
import { MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH, MAX_PHONE_LENGTH } from '../recipient-limits';
import {
  LAYER_CAPACITY_MAX,
  PROBLEM_KINDS,
  SHELF_NAME_MAX,
  SLOT_MODES,
  type CounterLookupResult,
  type CounterParcel,
  type CounterSettings,
  type DailyReport,
  type HandoverResult,
  type ProblemParcel,
  type ReturnBatch,
  type ReturnBatchSummary,
  type ScanInResult,
  type ShelfPlan,
  type ShiftFigures,
  type StaffDayFigures,
} from '../counter';
import { CARRIERS } from '../parcel';
import { empty, totpCode } from './common';
import { lookupQuery } from './station';

const id = z.number().int().positive();
const waybill = z.string().trim().min(4).max(40);
const carrier = z.enum(CARRIERS);

export const counterChannels = {
  'counter.scanIn': z
    .object({
      waybill,
      carrier: carrier.optional(),
      shelf: z.number().int().min(1).max(999).optional(),
      recipient: z
        .object({ name: z.string().trim().min(1).max(MAX_NAME_LENGTH), phone: z.string().trim().min(3).max(MAX_PHONE_LENGTH), address: z.string().trim().max(MAX_ADDRESS_LENGTH).optional() })
        .strict()
        .optional(),
    })
    .strict(),
  'counter.find': z.intersection(
    lookupQuery,
    z.object({ second: z.object({ by: z.enum(['code', 'waybill']), value: z.string().trim().min(1).max(40) }).strict().optional() }),
  ),
  'counter.handOver': z
    .object({
      customerParcelId: id,
      waybill,
      proxy: z.boolean().optional(),
      proxyNote: z.string().trim().max(100).optional(),
      /** The customer left the paper waybill at the counter: it goes into the shred ledger's custody. */
      paperLeft: z.boolean().optional(),
    })
    .strict(),
  'counter.undoHandover': z.object({ handoverId: id, reason: z.string().trim().min(2).max(200) }).strict(),
  'counter.overdue': z.object({ days: z.number().int().min(1).max(365).optional(), carrier: carrier.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  'counter.daily': z.object({ days: z.number().int().min(1).max(31).optional() }).strict(),
  'counter.myShift': empty,
  'counter.staffDay': z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
  'returns.move': z.object({ parcelIds: z.array(id).min(1).max(500), batchId: id.optional() }).strict(),
  'returns.scanOut': z.object({ batchId: id.optional(), waybill }).strict(),
  'returns.handOver': z.object({ batchId: id }).strict(),
  'returns.open': empty,
  'returns.get': z.object({ batchId: id }).strict(),
  'problems.flag': z.object({ parcelId: id, kind: z.enum(PROBLEM_KINDS), note: z.string().trim().max(200).optional() }).strict(),
  'problems.open': empty,
  'counter.settings.get': empty,
  'counter.settings.update': z
    .object({
      shelves: z.number().int().min(1).max(999).optional(),
      layers: z.number().int().min(1).max(99).optional(),
      overdueDays: z.number().int().min(1).max(365).optional(),
      undoMinutes: z.number().int().min(0).max(1440).optional(),
      timeZone: z.string().min(1).max(64).optional(),
      slotMode: z.enum(SLOT_MODES).optional(),
      shelfNames: z.array(z.string().trim().max(SHELF_NAME_MAX)).max(999).optional(),
      layerCapacity: z.number().int().min(0).max(LAYER_CAPACITY_MAX).optional(),
      carrierOverdueDays: z.partialRecord(carrier, z.number().int().min(1).max(365)).optional(),
      totp: totpCode,
    })
    .strict(),
} as const;

export interface CounterOutputs {
  'counter.scanIn': ScanInResult;
  'counter.find': CounterLookupResult;
  'counter.handOver': HandoverResult;
  'counter.undoHandover': CounterParcel;
  'counter.overdue': CounterParcel[];
  'counter.daily': DailyReport;
  'counter.myShift': ShiftFigures;
  'counter.staffDay': StaffDayFigures[];
  'returns.move': ReturnBatch;
  'returns.scanOut': ReturnBatch;
  'returns.handOver': { batch: ReturnBatch; leftOnShelf: number };
  'returns.open': ReturnBatchSummary[];
  'returns.get': ReturnBatch;
  'problems.flag': ProblemParcel;
  'problems.open': ProblemParcel[];
  'counter.settings.get': CounterSettings & ShelfPlan;
  'counter.settings.update': CounterSettings & ShelfPlan;
}
