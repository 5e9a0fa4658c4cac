import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log';
import { ParcelLookup } from '../../main/counter/lookup';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { importManifest, type ImportProgress } from '../../main/inbound/import-manifest';
import { parseManifest } from '../../main/inbound/manifest';
import { ScanIn } from '../../main/inbound/scan-in';
import { canSealInParallel, SealPool, type PoolKeys } from '../../main/inbound/seal-pool';
import { openPersonalField } from '../../main/store/parcels';
import type { Station } from '../../main/store/station';
import { inTx, transacted } from '../helpers/counter';
import { ENGINE_CASES, newStationOn, type EngineUnderTest } from '../helpers/engines';
import { AppError } from '../../shared/errors';
import type { ImportReport } from '../../shared/import-report';
import type { Carrier } from '../../shared/parcel';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const HEADER = 'waybill_no,carrier,recipient_name,recipient_phone,recipient_address,item_desc,weight_kg';
const csv = (...lines: string[]): Uint8Array => new TextEncoder().encode([HEADER, ...lines].join('\n'));
const count = async (s: Station, table = 'parcels'): Promise<number> => Number(await s.store.value(`SELECT count(*) FROM ${table}`));
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const codes = (r: ImportReport): [number, string][] => r.errors.map((e) => [e.row, e.code]);
const CLERK = { userId: 7, username: 'clerk', displayName: '店员', role: 'clerk', workstation: 'pc' } as const;

/** Every name, phone and address stored, opened again. */
async function storedValues(s: Station): Promise<string[]> {
  const ids = (await s.store.all<{ id: number }>('SELECT id FROM parcels')).map((r) => r.id);
  const values: string[] = [];
  for (const id of ids) for (const f of ['name', 'phone', 'address'] as const) values.push((await openPersonalField(s.store, s.keys, id, f)) ?? '');
  return values;
}

/** A write the store refuses, as a full disk would: every INSERT of this waybill fails. */
async function failInsertOf(s: Station, waybill: string): Promise<void> {
  if (s.store.dialect === 'sqlite') {
    await s.store.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON parcels WHEN NEW.waybill_no = '${waybill}'
                        BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    return;
  }
  await s.store.exec(`CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
                      CREATE TRIGGER fail_late BEFORE INSERT ON parcels FOR EACH ROW WHEN (NEW.waybill_no = '${waybill}') EXECUTE FUNCTION fail_late()`);
}

async function mendInserts(s: Station): Promise<void> {
  await s.store.exec(s.store.dialect === 'sqlite' ? 'DROP TRIGGER fail_late' : 'DROP TRIGGER fail_late ON parcels; DROP FUNCTION fail_late()');
}

describe.each(ENGINE_CASES)('manifest import (%s)', (_, engine: EngineUnderTest) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
  });
  afterEach(async () => {
    await dispose();
    tmp.cleanup();
  });

  it('imports every fixture row and reports progress through all phases', async () => {
    const phases: ImportProgress[] = [];
    const report = await importManifest(station, 'small.csv', readFixture('manifest-small.csv'), {
      onProgress: (p) => phases.push(p),
    });
    expect(report).toMatchObject({ imported: 300, skipped: 0, errors: [], encoding: 'utf-8' });
    expect(await count(station)).toBe(300);
    expect([...new Set(phases.map((p) => p.phase))]).toEqual(['reading', 'encrypting', 'writing', 'done']);
    const encrypting = phases.filter((p) => p.phase === 'encrypting').map((p) => p.done);
    expect(encrypting).toEqual([...encrypting].sort((a, b) => a - b));
    expect(encrypting.at(-1)).toBe(300);
    expect(phases.at(-1)).toMatchObject({ done: 300, total: 300 });
  });

  it('imports the edge fixture, reporting only genuinely unusable rows', async () => {
    const report = await importManifest(station, 'edge.csv', readFixture('manifest-edge.csv'));
    expect(report.imported + report.errors.length).toBe(200);
    expect(report.errors).toEqual([]);
  });

  it('re-importing the same file changes nothing', async () => {
    const bytes = readFixture('manifest-small.csv');
    await importManifest(station, 'small.csv', bytes);
    const stored = () => station.store.all('SELECT id, masked_ct FROM parcels ORDER BY id');
    const before = await stored();
    const imports = await count(station, 'imports');
    const again = await importManifest(station, 'small.csv', bytes);
    expect(again).toMatchObject({ imported: 0, skipped: 300, errors: [] });
    expect(await stored()).toEqual(before);
    expect(await count(station, 'imports')).toBe(imports);
  });

  it('decodes GBK/GB18030 manifests exported from Excel, and UTF-8 with a BOM', async () => {
    const text = new TextDecoder().decode(readFixture('manifest-small.csv'));
    const gbk = await importManifest(station, 'gbk.csv', iconv.encode(text, 'gbk'));
    expect(gbk).toMatchObject({ imported: 300, encoding: 'gb18030' });
    const row = fixtureRows('manifest-small.csv')[0];
    const [found] = await transacted(station, new ParcelLookup(station)).find({ by: 'waybill', value: row.waybill_no });
    expect(found.name.startsWith(row.recipient_name[0])).toBe(true);

    const otherDir = tempDir();
    const other = await newStationOn(engine, otherDir.dir);
    try {
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...readFixture('manifest-small.csv')]);
      expect(await importManifest(other.station, 'bom.csv', bom)).toMatchObject({ imported: 300, encoding: 'utf-8' });
    } finally {
      await other.dispose();
      otherDir.cleanup();
    }
  });

  it('reports bad rows by spreadsheet row number with bilingual reasons, and commits the good ones', async () => {
    const report = await importManifest(
      station,
      'bad.csv',
      csv(
        'SF100000000001,SF,张三,13800001111,北京市朝阳区望京街道阜通东大街6号,书,1.0', // row 2: good
        ',SF,李四,13800002222,北京市朝阳区望京街道1号,,1', // row 3
        'XX100000000002,UPS,王五,13800003333,北京市朝阳区望京街道2号,,1', // row 4
        'SF100000000001,SF,张三,13800001111,北京市朝阳区望京街道阜通东大街6号,书,1.0', // row 5: duplicate
        'SF100000000003,SF,赵六,call me maybe,北京市朝阳区望京街道3号,,1', // row 6
        'SF100000000004,SF,,13800004444,北京市朝阳区望京街道4号,,1', // row 7
        'SF100000000005,SF,钱七,13800005555,,,1', // row 8
        'SF100000000006,SF,孙八,13800006666,北京市朝阳区望京街道6号,,heavy', // row 9
        'SF100000000007,顺丰速运,周九,+86 138 0000 7777,北京市朝阳区望京街道7号,,', // row 10: good (alias, no weight)
      ),
    );
    expect(report.imported).toBe(2);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'MISSING_WAYBILL'],
      [4, 'UNKNOWN_CARRIER'],
      [5, 'DUPLICATE_IN_FILE'],
      [6, 'BAD_PHONE'],
      [7, 'MISSING_NAME'],
      [8, 'MISSING_ADDRESS'],
      [9, 'BAD_WEIGHT'],
    ]);
    expect(report.errors[1].reason).toBe('未知快递公司 / Unknown carrier');
    // Reasons never echo the row's personal data.
    expect(JSON.stringify(report)).not.toMatch(/李四|13800002222|望京/);
  });

  it('counts rows as a spreadsheet does: a quoted multi-line cell is one row', async () => {
    const report = await importManifest(
      station,
      'quoted.csv',
      csv(
        'SF100000000011,SF,张三,13800001111,"北京市朝阳区望京街道\n阜通东大街6号, 2层",书,1.0', // row 2
        '',                                                                                        // row 3: blank
        'SF100000000012,SF,李四,not a phone,北京市朝阳区望京街道1号,,1',                              // row 4
      ),
    );
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([[4, 'BAD_PHONE']]);
    await expect(importManifest(station, 'q.csv', csv('SF100000000013,SF,"unclosed,13800001111,x,,1'))).rejects.toMatchObject({
      code: 'BAD_MANIFEST',
    });
  });

  it('rejects a file without the required columns as a whole, writing nothing', async () => {
    await expect(importManifest(station, 'x.csv', new TextEncoder().encode('a,b\n1,2\n'))).rejects.toMatchObject({
      code: 'BAD_MANIFEST',
    });
    await expect(importManifest(station, 'x.csv', new Uint8Array())).rejects.toBeInstanceOf(AppError);
    expect(await count(station)).toBe(0);
  });

  it('writes nothing when the transaction fails part-way', async () => {
    await failInsertOf(station, 'SF100000000009');
    await expect(
      importManifest(station, 'y.csv', csv(
        'SF100000000008,SF,张三,13800001111,北京市朝阳区望京街道1号,,1',
        'SF100000000009,SF,李四,13800002222,北京市朝阳区望京街道2号,,1',
      )),
    ).rejects.toThrow(/disk full/);
    expect(await count(station)).toBe(0);
    expect(await count(station, 'imports')).toBe(0);
  });

  describe('damaged manifests, and the counter meanwhile', () => {
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
      expect((await storedValues(station)).some((v) => v.includes('\uFFFD'))).toBe(false);
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
      expect((await storedValues(station)).some((v) => v.includes('\uFFFD'))).toBe(false);
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
        expect(await count(station)).toBe(1);
        expect(await transacted(station, new ParcelLookup(station)).find({ by: 'waybill', value: 'SF100000000002' })).toEqual([]);
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
        expect(await openPersonalField(station.store, station.keys, Number(await station.store.value('SELECT id FROM parcels')), 'address')).toBe('北京市朝阳区望京街道4号');
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

    it('reads lines ended by CR alone (classic Mac) and a stray quote, giving every row an id of its own', async () => {
      await importManifest(station, 'first.csv', toCsv(syntheticRows(5, 24)));
      const report = await importManifest(
        station,
        'cr.csv',
        encode([HEADER, 'SF100000000021,SF,张三,13800001111,北京市朝阳区望京街道1号,5" 屏幕,1', 'SF100000000022,SF,李四,13800002222,北京市朝阳区望京街道2号,,1', ''].join('\r')),
      );
      expect(report).toMatchObject({ imported: 2, errors: [] });
      expect(await count(station)).toBe(7);
    });

    it('keeps only the base name of the file, never the path it came from', async () => {
      const rows = syntheticRows(3, 5);
      await importManifest(station, '/home/zhangsan/下载/a.csv', toCsv(rows.slice(0, 1)));
      await importManifest(station, 'C:\\Users\\张三\\Desktop\\b.csv', toCsv(rows.slice(1, 2)));
      await importManifest(station, 'c.csv', toCsv(rows.slice(2)));
      expect((await station.store.all<{ file_name: string }>('SELECT file_name FROM imports ORDER BY id')).map((r) => r.file_name)).toEqual(['a.csv', 'b.csv', 'c.csv']);
    });

    it('commits the import and its audit entry together: when the entry cannot be written, no row is imported', async () => {
      const audit = new AuditLog(station);
      const entries = async (): Promise<number> => (await audit.query(station.store, { limit: 100 })).length;
      const before = await entries();
      await expect(
        importManifest(station, 'a.csv', toCsv(syntheticRows(30, 6)), {
          onCommit: () => {
            throw new Error('audit log unavailable');
          },
        }),
      ).rejects.toThrow('audit log unavailable');
      expect(await count(station)).toBe(0);
      expect(await count(station, 'imports')).toBe(0);
      const report = await importManifest(station, 'a.csv', toCsv(syntheticRows(30, 6)), {
        onCommit: (tx, r) => audit.record(tx, { action: 'manifest.import', actor: CLERK, detail: { imported: r.imported, skipped: r.skipped, errors: r.errors.length } }),
      });
      expect(report.imported).toBe(30);
      expect(await entries()).toBe(before + 1);
    });

    describe('while an import runs', () => {
      const rows = syntheticRows(9000, 8);

      it('the counter keeps serving, and the import rows stay invisible until it commits', async () => {
        const lookup = transacted(station, new ParcelLookup(station));
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
              setImmediate(() => {
                const at = phase;
                void Promise.all([count(station), lookup.find({ by: 'waybill', value: rows[0].waybill }), lookup.find({ by: 'phone', value: rows[1].phone })]).then(([written, a, b]) =>
                  seen.push({ phase: at, written, found: a.length + b.length }),
                );
              });
            }
          },
        });
        expect(seen).toHaveLength(1);
        expect(seen[0].phase).not.toBe('done');
        expect(seen[0].written).toBeGreaterThan(0);
        expect(seen[0].found).toBe(0);
        expect(report.imported).toBe(9000);
        expect(await lookup.find({ by: 'waybill', value: rows[0].waybill })).toHaveLength(1);
      });

      it('a parcel scanned in before the import commits is created by the scan, and the import skips it', async () => {
        const scan = new ScanIn(station);
        let scanned = false;
        let scanning: Promise<unknown> = Promise.resolve();
        const report = await importManifest(station, 'big.csv', toCsv(rows), {
          sealWorkers: 2,
          onProgress: (p) => {
            if (p.phase === 'encrypting' && p.done >= 2000 && !scanned) {
              scanned = true;
              // Row 0 is written (pending) by now: the scan does not see it, so the clerk types the recipient.
              scanning = inTx(station, (tx) =>
                scan.scan(tx, CLERK, { waybill: rows[0].waybill, carrier: rows[0].carrier as Carrier, recipient: { name: '孙八', phone: '13800008888' } }),
              ).then((r) => expect(r.created).toBe(true));
            }
          },
        });
        expect(scanned).toBe(true);
        await scanning;
        expect(report).toMatchObject({ imported: 8999, skipped: 1 });
        const [found] = await transacted(station, new ParcelLookup(station)).find({ by: 'waybill', value: rows[0].waybill });
        expect(found).toMatchObject({ status: 'on_shelf', name: '孙*' });
      });

      it('a second import while one is pending is refused: the first failing later cannot take rows the second counted as stored', async () => {
        await failInsertOf(station, rows[7000].waybill);
        const part = toCsv(rows.slice(0, 3000));
        let second: Promise<{ report?: ImportReport; error?: unknown }> | null = null;
        const first = importManifest(station, 'big.csv', toCsv(rows), {
          sealWorkers: 2,
          onProgress: (p) => {
            // The first import's rows 0–1999 are written (pending) by now.
            if (p.phase === 'encrypting' && p.done >= 2000 && !second) {
              second = importManifest(station, 'part.csv', part, { sealWorkers: 0 }).then((report) => ({ report }), (error: unknown) => ({ error }));
            }
          },
        });
        await expect(first).rejects.toThrow(/disk full/);
        expect(second).not.toBeNull();
        const outcome = await second!;
        expect(outcome.report).toBeUndefined();
        expect(outcome.error).toMatchObject({ code: 'IMPORT_IN_PROGRESS' });
        await mendInserts(station);
        expect(await importManifest(station, 'part.csv', part)).toMatchObject({ imported: 3000, skipped: 0 });
        expect(await count(station)).toBe(3000);
      });

      it('an import left pending by a process that is gone does not hold up the next one, nor lend it rows', async () => {
        await importManifest(station, 'part.csv', toCsv(rows.slice(0, 3000)));
        // As a CLI import killed part-way leaves it while the app stays open.
        await station.store.run("UPDATE imports SET state = 'pending', owner_pid = 2147483646");
        expect(await importManifest(station, 'part.csv', toCsv(rows.slice(0, 3000)))).toMatchObject({ imported: 3000, skipped: 0 });
        expect(await transacted(station, new ParcelLookup(station)).find({ by: 'waybill', value: rows[0].waybill })).toHaveLength(1);
      });

      it('an import that fails part-way leaves no row behind, written chunks included', async () => {
        await failInsertOf(station, rows[7000].waybill);
        await expect(importManifest(station, 'big.csv', toCsv(rows), { sealWorkers: 2 })).rejects.toThrow(/disk full/);
        expect(await count(station)).toBe(0);
        expect(await count(station, 'imports')).toBe(0);
      });
    });
  });

  describe('sealing on worker threads', () => {
    it('finds the worker script from the sources', () => {
      expect(canSealInParallel()).toBe(true);
    });

    it('seals every chunk on the workers, the calling thread only taking them', async () => {
      const { rows } = parseManifest(toCsv(syntheticRows(4500, 2)));
      const pool = await SealPool.start(station.keys, rows.length, { workers: 2 });
      try {
        expect(pool.parallel).toBe(true);
        const chunks = [0, 2000, 4000].map((at) => rows.slice(at, at + 2000).map((r, i) => ({ id: 1 + at + i, carrier: r.carrier, waybillNo: r.waybillNo, fields: r })));
        const fields = (await Promise.all(chunks.map((c) => pool.seal(c)))).flat();
        expect(pool.byWorkers).toBe(4500);
        expect(fields).toHaveLength(4500);
        expect(fields[4499].tail_bidx).toEqual(station.keys.tailBlindIndex(rows[4499].phone.digits.slice(-4)));
      } finally {
        await pool.close();
      }
    });

    it('imports rows sealed by two workers, each under its own row id', async () => {
      const rows = syntheticRows(7000, 3);
      const report = await importManifest(station, 'big.csv', toCsv(rows), { sealWorkers: 2 });
      expect(report.imported).toBe(7000);
      const lookup = transacted(station, new ParcelLookup(station));
      const idOf = async (waybill: string): Promise<number> => Number(await station.store.value('SELECT id FROM parcels WHERE waybill_no = ?', waybill));
      // One row from each 2000-row chunk, and the chunk edges.
      for (const i of [0, 1999, 2000, 3999, 4000, 5999, 6000, 6999]) {
        const r = rows[i];
        const id = await idOf(r.waybill);
        expect(await openPersonalField(station.store, station.keys, id, 'name')).toBe(r.name);
        expect(await openPersonalField(station.store, station.keys, id, 'phone')).toBe(r.phone);
        expect(await openPersonalField(station.store, station.keys, id, 'address')).toBe(r.address);
        expect((await lookup.find({ by: 'phone', value: r.phone })).map((p) => p.waybillNo)).toContain(r.waybill);
        expect((await lookup.find({ by: 'tail', value: r.phone.slice(-4) })).length).toBeGreaterThan(0);
      }
    });

    it('seals every chunk on the calling thread when the workers cannot start', async () => {
      const { rows } = parseManifest(toCsv(syntheticRows(4500, 4)));
      const keys = station.keys;
      // Material a worker cannot build keys from: each worker fails as it starts.
      const broken: PoolKeys = {
        field: keys.field,
        rowMac: keys.rowMac,
        phoneBlindIndex: (d) => keys.phoneBlindIndex(d),
        tailBlindIndex: (t) => keys.tailBlindIndex(t),
        fieldKeyMaterial: () => ({ ...keys.fieldKeyMaterial(), enc: new Uint8Array(3) }),
      };
      const pool = await SealPool.start(broken, rows.length, { workers: 2 });
      expect(pool.parallel).toBe(false);
      const sealed = await pool.seal(rows.map((r, i) => ({ id: 100 + i, carrier: r.carrier, waybillNo: r.waybillNo, fields: r })));
      await pool.close();
      expect(pool.byWorkers).toBe(0);
      expect(sealed).toHaveLength(4500);
      expect(sealed[4499].phone_bidx).toEqual(keys.phoneBlindIndex(rows[4499].phone.digits));
    });
  });
});
