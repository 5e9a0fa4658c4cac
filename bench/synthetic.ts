// Synthetic manifests of any size for benchmarks: invented names, phones and
// addresses in the shapes the fixtures use.
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马', '上官'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛'];
const PLACES = [
  '北京市朝阳区望京街道阜通东大街',
  '上海市浦东新区张江路',
  '广东省深圳市南山区粤海街道科技南十二路',
  '四川省成都市武侯区玉林街道武侯大道',
  '河南省周口市郸城县宁平镇东关村',
];
const ITEMS = ['女士连衣裙', '蓝牙耳机', '猫粮 10kg', '书籍《三体》', '保温杯', '布洛芬缓释胶囊', '面膜 10片', ''];
const CARRIERS = ['SF', 'ZTO', 'YTO', 'STO', 'YUNDA', 'JD', 'EMS', 'JT'];

export interface SyntheticRow {
  waybill: string;
  carrier: string;
  name: string;
  phone: string;
  address: string;
  item: string;
  weight: string;
}

/** Deterministic (seeded LCG), so two runs benchmark the same data. */
export function syntheticRows(count: number, seed = 1, offset = 0): SyntheticRow[] {
  let s = seed >>> 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const rows: SyntheticRow[] = [];
  for (let i = offset; i < offset + count; i++) {
    const phone = `1${3 + rnd(7)}${String(rnd(1e9)).padStart(9, '0')}`;
    rows.push({
      waybill: `BN${String(i).padStart(12, '0')}`,
      carrier: CARRIERS[rnd(CARRIERS.length)],
      name: SURNAMES[rnd(SURNAMES.length)] + GIVEN[rnd(GIVEN.length)],
      phone,
      address: `${PLACES[rnd(PLACES.length)]}${1 + rnd(999)}号${1 + rnd(30)}栋${1 + rnd(4)}单元${100 + rnd(3000)}室`,
      item: ITEMS[rnd(ITEMS.length)],
      weight: (rnd(3000) / 100).toFixed(2),
    });
  }
  return rows;
}

export function toCsv(rows: SyntheticRow[]): Uint8Array {
  const lines = ['waybill_no,carrier,recipient_name,recipient_phone,recipient_address,item_desc,weight_kg'];
  for (const r of rows) lines.push([r.waybill, r.carrier, r.name, r.phone, r.address, r.item, r.weight].join(','));
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
