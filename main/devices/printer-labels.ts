// The label size and language of each workstation's printer. A station may
// have a small label roll at the counter and a larger one in the back, and
// a printer without its own takes the station's size, in Chinese. Kept in
// the one settings store by workstation, beside the device choices, which
// are per workstation too.
import { AppError } from '../../shared/errors';
import { LABEL_LANGUAGES, LABEL_SIZES, type LabelLanguage, type LabelSize, type PrinterLabelsView } from '../../shared/ipc/devices';
import type { LabelSizeId } from '../labels/layout';
import type { Settings } from '../settings/settings';
import type { Queryable } from '../store/engine/store';

export interface LabelSetup {
  size: LabelSize;
  language: LabelLanguage;
}

type Stored = Record<string, LabelSetup>;

const isSize = (v: unknown): v is LabelSize => (LABEL_SIZES as readonly unknown[]).includes(v);
const isLanguage = (v: unknown): v is LabelLanguage => (LABEL_LANGUAGES as readonly unknown[]).includes(v);

/** The layout's name of a size the screens and the IPC name (the receipt rolls by their paper width). */
export const labelSizeId = (size: LabelSize): LabelSizeId => (size === '58mm' ? '58' : size === '80mm' ? '80' : size);

async function stored(settings: Settings, q: Queryable): Promise<Stored> {
  return JSON.parse(await settings.get(q, 'labels.printers')) as Stored;
}

async function stationSize(settings: Settings, q: Queryable): Promise<LabelSize> {
  const size = await settings.get(q, 'labels.size');
  return isSize(size) ? size : '60x40';
}

/** What a label printed at `workstation` is: its printer's own size and language, else the station's size in Chinese. */
export async function labelSetupOf(settings: Settings, q: Queryable, workstation: string): Promise<LabelSetup> {
  return (await stored(settings, q))[workstation] ?? { size: await stationSize(settings, q), language: 'zh' };
}

const PRINTERS = `SELECT workstation, uri AS printer FROM device_uris WHERE role = 'printer'
  UNION ALL SELECT workstation, COALESCE(product, path) AS printer FROM device_choices WHERE role = 'printer'`;

/** Every workstation with a printer chosen or a setup of its own, by workstation. */
export async function listPrinterLabels(settings: Settings, q: Queryable, here: string): Promise<PrinterLabelsView> {
  const own = await stored(settings, q);
  const printers = new Map<string, string | null>(Object.keys(own).map((w) => [w, null]));
  for (const r of await q.all<{ workstation: string; printer: string }>(PRINTERS)) printers.set(r.workstation, r.printer);
  const size = await stationSize(settings, q);
  return {
    here,
    stationSize: size,
    printers: [...printers.keys()].sort().map((workstation) => ({
      workstation,
      printer: printers.get(workstation) ?? null,
      ...(own[workstation] ?? { size, language: 'zh' as const }),
      own: workstation in own,
    })),
  };
}

/** Sets the rows given (others kept); returns those that changed, for the audit entry. */
export async function setPrinterLabels(settings: Settings, q: Queryable, rows: readonly ({ workstation: string } & LabelSetup)[]): Promise<({ workstation: string } & LabelSetup)[]> {
  const own = await stored(settings, q);
  const changed = [];
  for (const { workstation, size, language } of rows) {
    if (!isSize(size) || !isLanguage(language)) throw new AppError('INVALID_INPUT', 'printers');
    const was = own[workstation] ?? null;
    if (was?.size === size && was.language === language) continue;
    own[workstation] = { size, language };
    changed.push({ workstation, size, language });
  }
  if (changed.length) await settings.set(q, 'labels.printers', JSON.stringify(own));
  return changed;
}
