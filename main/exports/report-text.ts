// The station reports' words (daily close, settlement, stocktake, and the facts
// every export opens with) come from the locale files the screens use
// (shared/i18n/*-reports.ts: plain data). Exports are read by inspectors who
// may read either language, so each label prints in Chinese then English, as
// the ledger's always have.
import { enReports } from '../../shared/i18n/en-reports';
import { zhReports, type ReportMessages } from '../../shared/i18n/zh-reports';

type Report = ReportMessages['report'];
type Vars = Record<string, string | number>;

const fill = (text: string, vars: Vars): string => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));

function both<G extends keyof Report>(group: G, key: keyof Report[G] & string, vars: Vars): [zh: string, en: string] {
  const pick = (m: ReportMessages) => fill((m.report[group] as Record<string, string>)[key], vars);
  return [pick(zhReports), pick(enReports)];
}

/** A heading or label: "入库 Received". */
export const reportLabel = <G extends keyof Report>(group: G, key: keyof Report[G] & string, vars: Vars = {}): string => both(group, key, vars).join(' ');

/** A phrase with figures in it: "撤下 2 · 销毁 1 / detached 2 · destroyed 1". */
export const reportPhrase = <G extends keyof Report>(group: G, key: keyof Report[G] & string, vars: Vars = {}): string => both(group, key, vars).join(' / ');
