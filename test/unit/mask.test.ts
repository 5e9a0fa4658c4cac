import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generaliseItem, maskAddress, maskName, maskParsedPhone, maskPhone } from '../../shared/mask';
import { parsePhone } from '../../shared/phone';
import { ITEM_CATEGORIES } from '../../shared/parcel';

// ------------------------------------------------------------------ phone

describe('maskPhone', () => {
  it.each([
    ['13812345678', '*******5678'],
    ['+86 138 1234 5678', '*******5678'],
    ['86-13812345678', '*******5678'],
    ['0086 13812345678', '*******5678'],
    ['8613812345678', '*******5678'],
    ['138-1234-5678', '*******5678'],
    ['１３８１２３４５６７８', '*******5678'],
    ['13800001111-1234', '*******1111-1234'],
    ['13800001111转1234', '*******1111-1234'],
    ['138 0000 1111 转 1234', '*******1111-1234'],
    ['010-12345678', '*******5678'],
    ['0571-80135751', '********5751'],
    ['1234567', '******7'],
    ['12345678', '******78'],
    ['', ''],
    ['   ', ''],
    ['abc', '******'],
    ['12', '******'],
    ['123456', '******'],
    ['电话 138 1234 5678 找张三', '*******5678'],
    ['138123456789012345', '**************2345'],
  ])('%j → %j', (raw, masked) => {
    expect(maskPhone(raw)).toBe(masked);
    // A stored recipient's number is parsed already and masked from that, to the same result.
    const parsed = parsePhone(raw);
    if (parsed) expect(maskParsedPhone(parsed)).toBe(masked);
  });

  const digit = fc.constantFrom(...'0123456789');
  const mobile = fc
    .tuple(fc.constantFrom(...'3456789'), fc.array(digit, { minLength: 9, maxLength: 9 }))
    .map(([second, rest]) => `1${second}${rest.join('')}`);
  const formatted = fc
    .tuple(
      mobile,
      fc.constantFrom('', '+86', '+86 ', '+86-', '86-', '86 ', '86', '0086', '0086 ', '0086-'),
      fc.array(fc.constantFrom('', '', '', ' ', '-'), { minLength: 10, maxLength: 10 }),
      fc.constantFrom('', ' '),
    )
    .map(([number, prefix, seps, pad]) => ({
      number,
      raw: pad + prefix + [...number].map((d, i) => (i === 0 ? d : seps[i - 1] + d)).join('') + pad,
    }));

  it('shows exactly the last 4 digits of an 11-digit mobile, however it is written', () => {
    fc.assert(
      fc.property(formatted, ({ number, raw }) => {
        expect(maskPhone(raw)).toBe(`*******${number.slice(-4)}`);
      }),
    );
  });

  it('never shows more than 4 digits of the number and always hides at least 6', () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(...'0123456789 -+()转#x,.') }),
      formatted.map((f) => f.raw),
    );
    fc.assert(
      fc.property(anyText, (raw) => {
        // Only stars, a tail of at most 4 digits, and an extension after one '-'.
        if (raw.trim()) expect(maskPhone(raw)).toMatch(/^\*{6,}\d{0,4}(?:-\d{1,6})?$/);
        else expect(maskPhone(raw)).toBe('');
      }),
    );
  });
});

// ------------------------------------------------------------------ name

// The compound surnames the spec names; a name starting with one keeps two characters.
const SPEC_COMPOUNDS = (
  '欧阳 司马 上官 诸葛 慕容 令狐 皇甫 东方 独孤 南宫 夏侯 公孙 长孙 宇文 司徒 司空 端木 尉迟 万俟 闻人 ' +
  '澹台 轩辕 呼延 申屠 太史 钟离 宗政 濮阳 公冶 赫连 西门 百里 东郭 拓跋 完颜'
).split(' ');
const DOT = '·';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['王小明', '王**'],
    ['欧阳杰然', '欧阳**'],
    ['上官桂浩', '上官**'],
    ['令狐娟燕', '令狐**'],
    ['欧阳', '欧*'],
    ['诸葛亮', '诸葛*'],
    ['张', '*'],
    ['  张三 ', '张*'],
    ['张 三', '张*'],
    ['阿卜杜拉·买买提', '阿***·***'],
    ['努尔兰·哈力木', '努**·***'],
    ['扎西·顿珠', '扎*·**'],
    ['John Smith', 'J*** S****'],
    ['Tanaka Hiroshi', 'T***** H******'],
    ['  Anna   Ivanova ', 'A*** I******'],
    ['Madonna', 'M******'],
    ['X', '*'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  const hanChar = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
  const hanName = fc.oneof(
    fc.array(hanChar, { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')),
    fc.tuple(fc.constantFrom(...SPEC_COMPOUNDS), fc.array(hanChar, { minLength: 0, maxLength: 3 }))
      .map(([surname, given]) => surname + given.join('')),
  );

  it('keeps the length of a CJK name and shows nothing but the surname', () => {
    fc.assert(
      fc.property(hanName, (name) => {
        const chars = Array.from(name);
        const masked = Array.from(maskName(name));
        expect(masked).toHaveLength(chars.length);
        const kept = masked.findIndex((c) => c === '*');
        const surnameLength = kept === -1 ? masked.length : kept;
        expect(surnameLength).toBe(
          chars.length === 1 ? 0 : chars.length >= 3 && SPEC_COMPOUNDS.includes(name.slice(0, 2)) ? 2 : 1,
        );
        expect(masked.slice(0, surnameLength)).toEqual(chars.slice(0, surnameLength));
        expect(masked.slice(surnameLength).every((c) => c === '*')).toBe(true);
        const surname = chars.slice(0, surnameLength);
        for (const c of chars.slice(surnameLength)) if (!surname.includes(c)) expect(masked).not.toContain(c);
      }),
    );
  });

  it('keeps the first character and the dots of a minority name, and its length', () => {
    const parts = fc.array(fc.array(hanChar, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });
    fc.assert(
      fc.property(parts, (ps) => {
        const name = ps.map((p) => p.join('')).join(DOT);
        const expected = Array.from(name).map((c, i) => (i === 0 || c === DOT ? c : '*')).join('');
        expect(maskName(name)).toBe(expected);
      }),
    );
  });

  it('keeps only the initial of each word of a Latin name', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom(' ', '  ', '\t'), (words, sep) => {
        expect(maskName(words.join(sep))).toBe(words.map((w) => w[0] + '*'.repeat(w.length - 1)).join(' '));
      }),
    );
  });
});

// ------------------------------------------------------------------ address

const BELOW_STREET = ['号', '栋', '单元', '室', '村', '组', '小区', '花园', '苑'];
const stripSpace = (s: string): string => s.replace(/\s+/g, '');

/** The output contract: a whitespace-free prefix of the input, then ****, with no number or estate. */
function expectSafeAddress(input: string, masked: string): void {
  expect(masked.endsWith('****')).toBe(true);
  expect(masked).not.toMatch(/\d/);
  const kept = masked.slice(0, -4);
  expect(stripSpace(input).startsWith(kept)).toBe(true);
  for (const w of BELOW_STREET) expect(kept).not.toContain(w);
}

describe('maskAddress', () => {
  it.each([
    ['北京市朝阳区望京街道阜通东大街6号院3号楼2单元501', '北京市朝阳区望京街道****'],
    ['上海市 浦东新区 锦绣路231号', '上海市浦东新区锦绣路****'],
    ['河南省周口市郸城县宁平镇东关村3组12号', '河南省周口市郸城县宁平镇****'],
    ['内蒙古自治区锡林郭勒盟正蓝旗上都镇元上都大街632号', '内蒙古自治区锡林郭勒盟正蓝旗上都镇****'],
    ['内蒙古自治区锡林郭勒盟正蓝旗元上都大街106号万科城1栋', '内蒙古自治区锡林郭勒盟正蓝旗元上都大街****'],
    ['香港特别行政区九龙城区太子道西311号', '香港特别行政区九龙城区太子道****'],
    ['广西壮族自治区南宁市青秀区民族大道753号阳光花园13栋1单元1603室', '广西壮族自治区南宁市青秀区民族大道****'],
    ['云南省西双版纳傣族自治州景洪市允景洪街道宣慰大道239号', '云南省西双版纳傣族自治州景洪市允景洪街道****'],
    ['新疆维吾尔自治区乌鲁木齐市天山区解放北路街道解放北路10号', '新疆维吾尔自治区乌鲁木齐市天山区解放北路街道****'],
    ['甘肃省定西市通渭县碧玉乡王庄村5组37号', '甘肃省定西市通渭县碧玉乡****'],
    ['四川省成都市武侯区人民南路四段864号', '四川省成都市武侯区人民南路****'],
    ['广东省广州市天河区中山大道西32号', '广东省广州市天河区中山大道****'],
    ['北京市东城区南锣鼓巷胡同8号', '北京市东城区南锣鼓巷****'],
    ['北京市西城区百花深处胡同5号', '北京市西城区百花深处胡同****'],
    ['内蒙古自治区锡林郭勒盟阿巴嘎旗那仁宝拉格苏木巴彦图嘎嘎查', '内蒙古自治区锡林郭勒盟阿巴嘎旗那仁宝拉格苏木****'],
    // Levels that contain the characters of other levels.
    ['北京市市辖区东城区东华门街道', '北京市市辖区东城区东华门街道****'],
    ['北京市通州区张家湾镇', '北京市通州区张家湾镇****'],
    ['新疆维吾尔自治区乌鲁木齐市新市区北京南路8号', '新疆维吾尔自治区乌鲁木齐市新市区北京南路****'],
    ['山东省济南市市中区经七路', '山东省济南市市中区经七路****'],
    ['黑龙江省哈尔滨市道里区中央大街', '黑龙江省哈尔滨市道里区中央大街****'],
    ['河北省唐山市路南区', '河北省唐山市路南区****'],
    ['江西省萍乡市安源区', '江西省萍乡市安源区****'],
    ['江苏省镇江市京口区', '江苏省镇江市京口区****'],
    ['浙江省杭州市西湖区', '浙江省杭州市西湖区****'],
    ['杭州西湖区文三路', '杭州西湖区文三路****'],
    ['中国广东省深圳市南山区粤海街道科技南十二路', '中国广东省深圳市南山区粤海街道****'],
    ['吉林省延边朝鲜族自治州延吉市', '吉林省延边朝鲜族自治州延吉市****'],
    ['新疆维吾尔自治区阿克苏地区库车市', '新疆维吾尔自治区阿克苏地区库车市****'],
    // No town or road: down to the county, and never a village or estate.
    ['河南省周口市郸城县东关村3组', '河南省周口市郸城县****'],
    ['河南省周口市郸城县马路村', '河南省周口市郸城县****'],
    ['河南省周口市郸城县东乡村3组', '河南省周口市郸城县****'],
    ['河南省周口市郸城县新镇村', '河南省周口市郸城县****'],
    ['河南省周口市郸城县阳光花园', '河南省周口市郸城县****'],
    ['河南省周口市郸城县 阳光花园13栋1单元3301室', '河南省周口市郸城县****'],
    ['广东省深圳市南山区乡村大道1号', '广东省深圳市南山区****'],
    ['广东省深圳市科技南十二路华润城区', '广东省深圳市科技南十二路****'],
    ['', '****'],
    ['阳光花园13栋', '****'],
    ['abc 123', '****'],
  ])('%j → %j', (addr, masked) => {
    expect(maskAddress(addr)).toBe(masked);
    expectSafeAddress(addr, masked);
  });

  const piece = fc.oneof(
    fc.constantFrom(
      '北京市', '广东省', '内蒙古自治区', '香港特别行政区', '深圳市', '锡林郭勒盟', '西双版纳傣族自治州', '市辖区',
      '南山区', '浦东新区', '九龙城区', '正蓝旗', '郸城县', '景洪市', '望京', '街道', '镇', '乡', '苏木', '东关',
      '村', '组', '号', '栋', '单元', '室', '小区', '花园', '苑', '路', '大道', '大街', '街', '道', '胡同', '巷', '西',
      '区', '市', '县', '州', '·', ' ', '\u3000', '#', '-', 'A',
    ),
    fc.integer({ min: 0, max: 9999 }).map(String),
    fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
  );

  it('returns a digit-free prefix of the address, never below the street, then ****', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(piece, { maxLength: 14 }).map((ps) => ps.join(''))), (addr) => {
        expectSafeAddress(addr, maskAddress(addr));
      }),
      { numRuns: 2000 },
    );
  });
});

// ------------------------------------------------------------------ item

describe('generaliseItem', () => {
  it.each([
    ['女士连衣裙', '服装鞋帽'],
    ['儿童羽绒服', '服装鞋帽'],
    ['运动鞋', '服装鞋帽'],
    ['蓝牙耳机', '数码电器'],
    ['iPhone 16 Pro 手机壳', '数码电器'],
    ['华为 MatePad 平板电脑', '数码电器'],
    ['小米充电宝 20000mAh', '数码电器'],
    ['洗衣机', '数码电器'],
    ['猫粮 10kg', '宠物用品'],
    ['书籍《三体》', '图书文件'],
    ['合同文件', '图书文件'],
    ['面膜 10片', '美妆个护'],
    ['口红套装', '美妆个护'],
    ['进口牛奶 12盒', '食品饮料'],
    ['坚果礼盒', '食品饮料'],
    ['有机大米 5kg', '食品饮料'],
    ['薯片', '食品饮料'],
    ['保温杯', '日用百货'],
    ['不锈钢炒锅', '日用百货'],
    ['抽纸 24包', '日用百货'],
    ['洗衣液', '日用百货'],
    ['婴儿奶粉 3段', '母婴用品'],
    ['', '物品'],
    ['   ', '物品'],
    ['某某东西', '物品'],
  ])('%j → %s', (desc, category) => {
    expect(generaliseItem(desc)).toBe(category);
  });

  it.each([
    '布洛芬缓释胶囊', '处方药 二甲双胍', '儿童退烧药', '维生素C咀嚼片', '阿司匹林肠溶片 100mg', '感冒灵颗粒',
    '助听器', '血糖仪', '医用口罩', '隐形眼镜 30片',
    '验孕棒', '排卵试纸', 'HIV 检测试剂',
    '避孕套', '安全套 12只', '计生用品', '情趣内衣', '成人用品',
    '假发', '减肥茶', '瘦身腰带', '代餐奶昔',
  ])('%j is sensitive → 物品', (desc) => {
    expect(generaliseItem(desc)).toBe('物品');
  });

  it('always returns one of ITEM_CATEGORIES', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })), (desc) => {
        expect(ITEM_CATEGORIES).toContain(generaliseItem(desc));
      }),
    );
  });

  it('lets a sensitive word win over any surrounding category word', () => {
    const sensitive = fc.constantFrom('药', '胶囊', '验孕', '避孕', '安全套', '情趣', '成人', '假发', '减肥', '助听器');
    const around = fc.constantFrom('', '儿童', '女士连衣裙', '蓝牙耳机', '猫粮', '面膜', '牛奶', '保温杯', '书籍');
    fc.assert(
      fc.property(around, sensitive, around, (before, word, after) => {
        expect(generaliseItem(before + word + after)).toBe('物品');
      }),
    );
  });
});

// ------------------------------------------------------------------ fixtures

interface Row {
  name: string;
  phone: string;
  address: string;
  item: string;
}

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const COLUMNS = ['waybill_no', 'carrier', 'recipient_name', 'recipient_phone', 'recipient_address', 'item_desc', 'weight_kg'];

// The fixtures have no quoted fields, so a plain split is exact; the asserts keep it honest.
function readManifest(file: string): Row[] {
  const [header, ...lines] = readFileSync(path.join(FIXTURES, file), 'utf8').split(/\r?\n/).filter(Boolean);
  expect(header.split(',')).toEqual(COLUMNS);
  return lines.map((line) => {
    expect(line).not.toContain('"');
    const f = line.split(',');
    expect(f).toHaveLength(COLUMNS.length);
    return { name: f[2], phone: f[3], address: f[4], item: f[5] };
  });
}

const SENSITIVE_ITEM = /药|胶囊|验孕|检测|试剂|避孕|成人|助听器|假发|减肥/;

function givenNameChars(name: string): string[] {
  const chars = Array.from(name).filter((c) => c !== DOT);
  const surname = SPEC_COMPOUNDS.includes(name.slice(0, 2)) && chars.length >= 3 ? 2 : 1;
  return chars.slice(surname).filter((c) => !chars.slice(0, surname).includes(c));
}

describe.each(['manifest-edge.csv', 'manifest-small.csv'])('fixture %s', (file) => {
  const rows = readManifest(file);

  it('masks every phone to ≥6 stars and at most 4 digits of the number', () => {
    for (const { phone } of rows) {
      const masked = maskPhone(phone);
      expect(masked, phone).toMatch(/^\*{6,}\d{0,4}(?:-\d{1,6})?$/);
      // The extension shown is the one on the waybill.
      const ext = /-(\d+)$/.exec(masked)?.[1];
      if (ext) expect(phone.replace(/\s/g, '').endsWith(`-${ext}`) || phone.endsWith(`转${ext}`), phone).toBe(true);
    }
  });

  it('masks every name so that no given-name character survives', () => {
    for (const { name } of rows) {
      const masked = maskName(name);
      if (/\p{Script=Han}/u.test(name)) {
        for (const c of givenNameChars(name)) expect(masked, name).not.toContain(c);
      } else {
        const initials = name.trim().split(/\s+/).map((w) => w[0]);
        expect(masked.replace(/[*\s]/g, ''), name).toBe(initials.join(''));
      }
    }
  });

  it('masks every address down to the street or town, with no number, building or village', () => {
    for (const { address } of rows) {
      const masked = maskAddress(address);
      expect(masked, address).not.toBe('****');
      expectSafeAddress(address, masked);
    }
  });

  it('shows sensitive items only as 物品 and files every other item under a real category', () => {
    for (const { item } of rows) {
      const category = generaliseItem(item);
      if (!item.trim() || SENSITIVE_ITEM.test(item)) expect(category, item).toBe('物品');
      else expect(category, item).not.toBe('物品');
    }
  });
});
