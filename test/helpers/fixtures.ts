// The shared synthetic manifests beside the repo, and throw-away stores.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { initialiseStation, unlockWithPassphrase, type EmbeddedStation } from '../../main/store/station';

export const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
export const fixturePath = (name: string): string => join(FIXTURES, name);
export const readFixture = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(fixturePath(name)));

export interface FixtureRow {
  waybill_no: string;
  carrier: string;
  recipient_name: string;
  recipient_phone: string;
  recipient_address: string;
  item_desc: string;
  weight_kg: string;
}

export function fixtureRows(name: string): FixtureRow[] {
  return Papa.parse<FixtureRow>(readFileSync(fixturePath(name), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** Cheap KDF cost: tests exercise scrypt, not its price. */
export const TEST_KDF = { N: 1024, r: 8, p: 1 } as const;
export const TEST_PASSPHRASE = 'correct horse 驿站';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pc-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newStation(dir: string, name = 'station.db'): { path: string; station: EmbeddedStation } {
  const path = join(dir, name);
  initialiseStation(path, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
  return { path, station: unlockWithPassphrase(path, TEST_PASSPHRASE) };
}
