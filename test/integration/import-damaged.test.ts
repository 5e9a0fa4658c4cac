// Manifests as they arrive in real life: cut short, damaged, oversized, and
// imported while the counter keeps working.
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { AuditLog } from '../../main/audit/audit-log';
import { ParcelLookup } from '../../main/counter/lookup';
import { importManifest } from '../../main/inbound/import-manifest';
import { ScanIn } from '../../main/inbound/scan-in';
import { openPersonalField } from '../../main/store/parcels';
import type { Station } from '../../main/store/station';
import type { ImportReport } from '../../shared/import-report';
import type { Carrier } from '../../shared/parcel';
import { newStation, readFixture, tempDir } from '../helpers/fixtures';

const HEADER = 'waybill_no,carrier,recipient_name,recipient_phone,recipient_address,item_desc,weight_kg';
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const count = (s: Station, where = '1'): number => s.db.prepare(`SELECT count(*) FROM parcels WHERE ${where}`).pluck().get() as number;
const codes = (r: ImportReport): [number, string][] => r.errors.map((e) => [e.row, e.code]);
const CLERK = { userId: 7, username: 'clerk', displayName: '店员', role: 'clerk', workstation: 'pc' } as const;

/** Every name, phone and address stored, opened again. */
function storedValues(s: Station): string[] {
  const ids = s.db.prepare('SELECT id FROM parcels').pluck().all() as number[];
  return ids.flatMap((id) => (['name', 'phone', 'address'] as const).map((f) => openPersonalField(s.db, s.keys, id, f) ?? ''));
}

describe('importing damaged manifests', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  beforeEach(() => {
    tmp = tempDir();
    station = newStation(tmp.dir).station;
  });
  afterEach(() => {
    station.close();
    tmp.cleanup();
  });

  it('a UTF-8 manifest cut mid-character stays UTF-8: the damaged last row is reported, the rest imported as written', async () => {
    const whole = readFixture('manifest-small.csv');
    // Cut inside the last multi-byte character of the file (the last row's address or item).
    let cut = whole.length - 1;
    while (whole[cut] < 0xc0) cut--;
    const report = await importManifest(station, 'cut.csv', whole.subarray(0, cut + 1));
    expect(report.encoding).toBe('utf-8');
    expect(report.imported).toBe(299);
    expect(codes(report)).toEqual([[301, 'TRUNCATED_ROW']]);
    expect(report.errors[0].reason).toMatch(/截断.* \/ .*cut short/);
    expect(storedValues(station).some((v) => v.includes('\uFFFD'))).toBe(false);
    // The whole file later brings in the missing row, and only it.
    expect(await importManifest(station, 'whole.csv', whole)).toMatchObject({ imported: 1, skipped: 299, errors: [] });
  });

  it('one damaged byte inside a UTF-8 file spoils one row, not the file', async () => {
    const bytes = Uint8Array.from(toCsv(syntheticRows(50, 3)));
    const text = new TextDecoder().decode(bytes);
    // The first byte of the first Chinese character on spreadsheet row 12.
    const lineStart = text.split('\n').slice(0, 11).join('\n').length + 1;
    const offset = encode(text.slice(0, lineStart + text.slice(lineStart).search(/[^\p{ASCII}]/u))).length;
    bytes[offset] = 0xff;
    const report = await importManifest(station, 'damaged.csv', bytes);
    expect(report).toMatchObject({ encoding: 'utf-8', imported: 49 });
    expect(codes(report)).toEqual([[12, 'BAD_ENCODING']]);
    expect(storedValues(station).some((v) => v.includes('\uFFFD'))).toBe(false);
  });

  it('a GBK manifest cut mid-character is still GBK, its cut last row reported', async () => {
    const text = new TextDecoder().decode(readFixture('manifest-small.csv'));
    const gbk = iconv.encode(text, 'gbk');
    let cut = gbk.length - 1;
    while (gbk[cut] < 0x81) cut--;
    const report = await importManifest(station, 'gbk-cut.csv', gbk.subarray(0, cut));
    expect(report).toMatchObject({ encoding: 'gb18030', imported: 299 });
    expect(codes(report)).toEqual([[301, 'TRUNCATED_ROW']]);
  });

  describe('a last line without a line end', () => {
    const good = 'SF100000000001,SF,张三,13800001111,北京市朝阳区望京街道阜通东大街6号,书,1.5';
    it('cut inside or right after the address: reported as truncated, not imported', async () => {
      for (const tail of ['SF100000000002,SF,李四,13800002222,北京市朝阳区望京', 'SF100000000002,SF,李四,13800002222,北京市朝阳区望京街道1号']) {
        const report = await importManifest(station, 'cut.csv', encode(`${HEADER}\n${good}\n${tail}`));
        expect(codes(report)).toEqual([[3, 'TRUNCATED_ROW']]);
      }
      expect(count(station)).toBe(1);
      expect(new ParcelLookup(station).find({ by: 'waybill', value: 'SF100000000002' })).toEqual([]);
    });

    it('complete, its last value in a column a cut cannot harm (weight): imported', async () => {
      const report = await importManifest(station, 'ok.csv', encode(`${HEADER}\n${good}\nSF100000000003,SF,王五,13800003333,北京市朝阳区望京街道3号,,2`));
      expect(report).toMatchObject({ imported: 2, errors: [] });
    });

    it('when the address is the last column: only a quoted, closed value shows it is whole', async () => {
      const header = 'waybill_no,carrier,recipient_name,recipient_phone,recipient_address';
      const row = 'SF100000000004,SF,赵六,13800004444,';
      const open = await importManifest(station, 'a.csv', encode(`${header}\n${row}北京市朝阳区望京街道4号`));
      expect(codes(open)).toEqual([[2, 'TRUNCATED_ROW']]);
      const quoted = await importManifest(station, 'b.csv', encode(`${header}\n${row}"北京市朝阳区望京街道4号"`));
      expect(quoted).toMatchObject({ imported: 1, errors: [] });
      expect(openPersonalField(station.db, station.keys, station.db.prepare('SELECT id FROM parcels').pluck().get() as number, 'address')).toBe('北京市朝阳区望京街道4号');
    });
  });

  it('refuses fields longer than scan-in accepts, row by row, with bilingual reasons', async () => {
    const long = (n: number): string => '张'.repeat(n);
    const report = await importManifest(
      station,
      'long.csv',
      encode(
        [
          HEADER,
          `SF100000000011,SF,${long(64)},13800001111,北京市朝阳区望京街道1号,,1`, // row 2: 64 is the limit
          `SF100000000012,SF,${long(65)},13800001112,北京市朝阳区望京街道2号,,1`, // row 3
          `SF100000000013,SF,${long(100_000)},13800001113,北京市朝阳区望京街道3号,,1`, // row 4
          `SF100000000014,SF,王五,138000011140000000000000000000001,北京市朝阳区望京街道4号,,1`, // row 5: 33 characters
          `SF100000000015,SF,赵六,13800001115,北京市朝阳区${long(195)},,1`, // row 6: 201 characters
          `SF100000000016,SF,钱七,13800001116,北京市朝阳区${long(194)},,1`, // row 7: 200
          '',
        ].join('\n'),
      ),
    );
    expect(report.imported).toBe(2);
    expect(codes(report)).toEqual([
      [3, 'NAME_TOO_LONG'],
      [4, 'NAME_TOO_LONG'],
      [5, 'PHONE_TOO_LONG'],
      [6, 'ADDRESS_TOO_LONG'],
    ]);
    expect(report.errors[0].reason).toBe('收件人姓名过长（最多 64 个字符） / Recipient name too long (at most 64 characters)');
  });

  it('keeps only the base name of the file, never the path it came from', async () => {
    const rows = syntheticRows(3, 5);
    await importManifest(station, '/home/zhangsan/下载/a.csv', toCsv(rows.slice(0, 1)));
    await importManifest(station, 'C:\\Users\\张三\\Desktop\\b.csv', toCsv(rows.slice(1, 2)));
    await importManifest(station, 'c.csv', toCsv(rows.slice(2)));
    expect(station.db.prepare('SELECT file_name FROM imports ORDER BY id').pluck().all()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('commits the import and its audit entry together: when the entry cannot be written, no row is imported', async () => {
    const audit = new AuditLog(station);
    const entries = (): number => audit.query({ limit: 100 }).length;
    const before = entries();
    await expect(
      importManifest(station, 'a.csv', toCsv(syntheticRows(30, 6)), {
        onCommit: () => {
          throw new Error('audit log unavailable');
        },
      }),
    ).rejects.toThrow('audit log unavailable');
    expect(count(station)).toBe(0);
    expect(station.db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
    const report = await importManifest(station, 'a.csv', toCsv(syntheticRows(30, 6)), {
      onCommit: (r) => audit.record({ action: 'manifest.import', actor: CLERK, detail: { imported: r.imported, skipped: r.skipped, errors: r.errors.length } }),
    });
    expect(report.imported).toBe(30);
    expect(entries()).toBe(before + 1);
  });

  describe('while an import runs', () => {
    const rows = syntheticRows(9000, 8);

    it('the counter keeps serving, and the import rows stay invisible until it commits', async () => {
      const lookup = new ParcelLookup(station);
      const seen: { phase: string; written: number; found: number }[] = [];
      let phase = 'reading';
      let asked = false;
      const report = await importManifest(station, 'big.csv', toCsv(rows), {
        sealWorkers: 2,
        onProgress: (p) => {
          phase = p.phase;
          if (p.phase === 'encrypting' && p.done > 0 && !asked) {
            asked = true;
            // A counter request arriving now is served before the import ends.
            setImmediate(() =>
              seen.push({
                phase,
                written: count(station),
                found: lookup.find({ by: 'waybill', value: rows[0].waybill }).length + lookup.find({ by: 'phone', value: rows[1].phone }).length,
              }),
            );
          }
        },
      });
      expect(seen).toHaveLength(1);
      expect(seen[0].phase).not.toBe('done');
      expect(seen[0].written).toBeGreaterThan(0);
      expect(seen[0].found).toBe(0);
      expect(report.imported).toBe(9000);
      expect(lookup.find({ by: 'waybill', value: rows[0].waybill })).toHaveLength(1);
    });

    it('a parcel scanned in before the import commits is created by the scan, and the import skips it', async () => {
      const scan = new ScanIn(station);
      let scanned = false;
      const report = await importManifest(station, 'big.csv', toCsv(rows), {
        sealWorkers: 2,
        onProgress: (p) => {
          if (p.phase === 'encrypting' && p.done >= 2000 && !scanned) {
            scanned = true;
            // Row 0 is written (pending) by now: the scan does not see it, so the clerk types the recipient.
            const r = scan.scan(CLERK, { waybill: rows[0].waybill, carrier: rows[0].carrier as Carrier, recipient: { name: '孙八', phone: '13800008888' } });
            expect(r.created).toBe(true);
          }
        },
      });
      expect(scanned).toBe(true);
      expect(report).toMatchObject({ imported: 8999, skipped: 1 });
      const [found] = new ParcelLookup(station).find({ by: 'waybill', value: rows[0].waybill });
      expect(found).toMatchObject({ status: 'on_shelf', name: '孙*' });
    });

    it('an import that fails part-way leaves no row behind, written chunks included', async () => {
      station.db.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON parcels WHEN NEW.waybill_no = '${rows[7000].waybill}'
                       BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
      await expect(importManifest(station, 'big.csv', toCsv(rows), { sealWorkers: 2 })).rejects.toThrow(/disk full/);
      expect(count(station)).toBe(0);
      expect(station.db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
    });
  });
});
