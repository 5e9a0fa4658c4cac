// What the counter may show of a recipient. These run for every parcel
// displayed, so all patterns and tables are built once at module load.

import { parsePhone, type ParsedPhone } from './phone';
import type { ItemCategory } from './parcel';

const STAR = '*';
const stars = (n: number): string => STAR.repeat(n);

// ---------------------------------------------------------------- phone

// GB/T 41833-2022 asks for at least 6 hidden digits; a short number therefore
// gives up trailing digits before it gives up stars.
const MIN_HIDDEN = 6;
const MAX_SHOWN = 4;
const shownDigits = (n: number): number => Math.min(MAX_SHOWN, Math.max(0, n - MIN_HIDDEN));

/** A number parsed already (a stored recipient's): masked without reading the text again. */
export function maskParsedPhone({ digits, ext }: ParsedPhone): string {
  const shown = shownDigits(digits.length);
  const masked = stars(digits.length - shown) + digits.slice(digits.length - shown);
  // The courier needs a virtual number's extension; alone it identifies nobody.
  return ext ? `${masked}-${ext}` : masked;
}

export function maskPhone(raw: string): string {
  if (!raw.trim()) return '';
  const parsed = parsePhone(raw);
  if (parsed) return maskParsedPhone(parsed);
  // Unparseable: keep only a digit tail, so stray text (names, notes) never leaks.
  const digits = raw.replace(/\D/g, '');
  const shown = shownDigits(digits.length);
  return stars(Math.max(MIN_HIDDEN, digits.length - shown)) + digits.slice(digits.length - shown);
}

// ---------------------------------------------------------------- name

// Compound surnames; beyond the common ones, only rare pairs whose first
// character is not itself a common surname (else 单于洋 may be 单 + 于洋).
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '慕容', '令狐', '皇甫', '东方', '独孤', '南宫', '夏侯', '公孙', '长孙',
  '宇文', '司徒', '司空', '端木', '尉迟', '万俟', '闻人', '澹台', '轩辕', '呼延', '申屠', '太史', '钟离',
  '宗政', '濮阳', '公冶', '赫连', '西门', '百里', '东郭', '拓跋', '完颜', '淳于', '鲜于', '闾丘', '公羊',
  '仲孙', '羊舌', '左丘', '漆雕', '巫马', '公西', '颛孙', '亓官', '第五',
]);

// Separators in transliterated minority names (阿卜杜拉·买买提), as IMEs and OCR produce them.
const NAME_DOTS = new Set(['·', '•', '・', '‧', '･', '．', '.', '⸱']);
const HAN = /\p{Script=Han}/u;
const WHITESPACE = /\s+/g;

function maskCjkName(name: string): string {
  const chars = Array.from(name.replace(WHITESPACE, ''));
  const letters = chars.filter((c) => !NAME_DOTS.has(c)).length;
  // One character is the whole name: showing it would show everything.
  if (letters <= 1) return chars.map((c) => (NAME_DOTS.has(c) ? c : STAR)).join('');
  if (chars.some((c) => NAME_DOTS.has(c))) {
    return chars.map((c, i) => (i === 0 || NAME_DOTS.has(c) ? c : STAR)).join('');
  }
  // 欧阳 alone is surname 欧 + given name 阳, so a compound needs a given name after it.
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
  return chars.slice(0, keep).join('') + stars(chars.length - keep);
}

function maskLatinName(name: string): string {
  const words = name.split(WHITESPACE).map((w) => Array.from(w));
  if (words.length === 1 && words[0].length === 1) return STAR;
  return words.map((w) => w[0] + stars(w.length - 1)).join(' ');
}

export function maskName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '';
  return HAN.test(trimmed) ? maskCjkName(trimmed) : maskLatinName(trimmed);
}

// ---------------------------------------------------------------- address

// Administrative names are Han only, so digits, letters and punctuation end a
// level; the lookaheads keep a level from swallowing estate or village words.
const han = (except: string): string => `(?:(?!${except})\\p{Script=Han})`;
const NOT_BELOW = '村|嘎查|组|号|栋|幢|单元|室|小区|花园|苑|社区';

const PROVINCE = new RegExp(
  '(?:中华人民共和国|中国)?(?:(?:北京|天津|上海|重庆)市?|(?:香港|澳门)(?:特别行政区)?' +
    '|内蒙古(?:自治区)?|广西(?:壮族自治区)?|西藏(?:自治区)?|宁夏(?:回族自治区)?|新疆(?:维吾尔自治区)?' +
    '|(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾)省?)',
  'uy',
);
// A prefecture name never contains 区/县/旗 or a road word, so this level cannot
// run on into the district; 市辖区 is the placeholder level of the code tables.
// 州 followed by 市/区/县 belongs to that name (郑州市, 通州区), not a 自治州.
const PREFECTURE = new RegExp(
  `市辖区|${han(`[区县旗路街道巷]|${NOT_BELOW}`)}{1,12}?(?:自治州|地区|盟|市(?!区)|州(?![市区县]))`,
  'uy',
);
// 新区, 城区 and 市中区 end at their own 区; 市 followed by 区 is part of a name (新市区).
// Road words may only open a county name (路南区, 道里区), so a missing county
// level cannot reach across a road to some later 区 (…路华润城区).
const COUNTY_CHAR = `街道|${NOT_BELOW}`;
const COUNTY = new RegExp(
  `${han(COUNTY_CHAR)}${han(`[路街巷道]|${COUNTY_CHAR}`)}{0,14}?(?:区|县|旗|市(?![区辖]))`,
  'uy',
);
// 区/县/旗 are excluded so a missing county level is not mistaken for a town;
// 东乡村 is a village, not the town 东乡.
const TOWN = new RegExp(`${han(`[区县旗]|${NOT_BELOW}`)}{1,10}?(?:街道|镇|乡|苏木)(?!村)`, 'uy');
// The first road word ends the road (太子道西 → 太子道); 马路村 is a village, not a road.
const ROAD = new RegExp(`${han(NOT_BELOW)}{1,12}?(?:大街|大道|胡同|路|街|巷|道)(?!村)`, 'uy');

/** Index after `re` matches `s` exactly at `from`, or -1. */
function matchAt(re: RegExp, s: string, from: number): number {
  re.lastIndex = from;
  return re.test(s) ? re.lastIndex : -1;
}

export function maskAddress(addr: string): string {
  const s = addr.replace(WHITESPACE, '');
  let end = 0;
  for (const level of [PROVINCE, PREFECTURE, COUNTY]) {
    const next = matchAt(level, s, end);
    if (next > 0) end = next;
  }
  // With no administrative level to anchor it, a "town" or "road" could be any text.
  if (end === 0) return '****';
  const town = matchAt(TOWN, s, end);
  if (town > 0) return `${s.slice(0, town)}****`;
  const road = matchAt(ROAD, s, end);
  return `${s.slice(0, road > 0 ? road : end)}****`;
}

// ---------------------------------------------------------------- item

// Anything that hints at health, sex or body image is shown only as 物品, whatever
// else the description says (儿童退烧药 is not 母婴用品).
const SENSITIVE = new RegExp(
  [
    // medicine and supplements; 片 counts only in dosage forms (面膜 10片 is not medicine)
    '药|胶囊|处方|布洛芬|二甲双胍|阿莫西林|头孢|青霉素|阿司匹林|对乙酰氨基酚|扑热息痛|感冒灵|板蓝根|连花清瘟',
    '胰岛素|降压|降糖|降脂|他汀|抗生素|抗抑郁|安眠|褪黑素|西地那非|他达拉非|伟哥|万艾可|口服液|注射|针剂|疫苗',
    '软膏|乳膏|滴眼液|栓剂|退烧|止痛|消炎|痔疮|糖尿|维生素|叶酸|鱼油|保健|创可贴|碘伏|\\d\\s*(?:mg|毫克)',
    '(?:肠溶|缓释|控释|泡腾|咀嚼|分散|舌下|薄膜衣|含|钙)片',
    // medical devices
    '医疗|医用|血压计|血糖仪|血氧仪|体温计|助听器|轮椅|拐杖|制氧机|雾化器|呼吸机|导尿|造口|隐形眼镜|美瞳',
    '正畸|义齿|假牙|绷带|纱布|针头|理疗|康复',
    // tests
    '验孕|试纸|检测|试剂|排卵|早孕|hiv|艾滋|梅毒|乙肝|核酸|抗原|化验',
    // contraception and adult goods
    '避孕|安全套|计生|杜蕾斯|冈本|杰士邦|毓婷|润滑液|人体润滑|情趣|成人|性用品|震动棒|跳蛋|飞机杯|壮阳|催情',
    // wigs and weight loss
    '假发|发套|减肥|瘦身|减脂|燃脂|代餐|酵素|左旋肉碱|排油|清肠',
  ].join('|'),
  'u',
);

const CATEGORY_KEYWORDS: Record<Exclude<ItemCategory, '物品'>, string[]> = {
  服装鞋帽: [
    '衣', '服', '裤', '裙', '鞋', '帽', '袜', '靴', 't恤', '衬衫', '外套', '夹克', '卫衣', '毛衣', '羽绒服', '大衣',
    '风衣', '西装', '连衣裙', '牛仔裤', '休闲裤', '运动鞋', '拖鞋', '凉鞋', '皮鞋', '围巾', '手套', '腰带', '皮带',
    '内衣', '睡衣', '泳衣', '汉服', '旗袍', '马甲', '背心', '童装', '女装', '男装', '服饰', '领带', '丝巾',
  ],
  数码电器: [
    '手机', '手机壳', '手机膜', '钢化膜', '数据线', '充电器', '充电宝', '移动电源', '耳机', '蓝牙', '音箱', '音响',
    '电脑', '笔记本电脑', '平板', '显示器', '键盘', '鼠标', '路由器', '相机', '镜头', '智能手表', '手环', '电视',
    '冰箱', '洗衣机', '空调', '微波炉', '电饭煲', '电饭锅', '电水壶', '吹风机', '电吹风', '扫地机器人', '吸尘器',
    '风扇', '加湿器', '净化器', '投影仪', '游戏机', '硬盘', 'u盘', '内存卡', '存储卡', '打印机', '墨盒', '电池',
    '插线板', '咖啡机', 'iphone', 'ipad', 'macbook', 'airpods', 'kindle', 'usb', 'type-c', 'hdmi',
  ],
  食品饮料: [
    '食品', '零食', '牛奶', '酸奶', '奶茶', '咖啡', '茶叶', '茶', '饮料', '果汁', '矿泉水', '酒', '白酒', '红酒',
    '啤酒', '大米', '面条', '挂面', '方便面', '面粉', '食用油', '橄榄油', '花生油', '坚果', '饼干', '巧克力', '糖果',
    '蛋糕', '月饼', '粽子', '水果', '苹果', '橙', '车厘子', '樱桃', '荔枝', '芒果', '榴莲', '牛肉', '猪肉', '海鲜',
    '虾', '蟹', '调料', '酱油', '醋', '蜂蜜', '燕窝', '杂粮', '麦片', '薯片', '辣条', '罐头', '火锅底料', '香肠',
    '鸡蛋', '特产',
  ],
  日用百货: [
    '杯', '保温杯', '水杯', '锅', '炒锅', '碗', '盘子', '筷子', '勺', '抽纸', '纸巾', '卷纸', '卫生纸', '湿巾',
    '洗衣液', '洗衣粉', '洗洁精', '毛巾', '浴巾', '垃圾袋', '收纳', '衣架', '衣柜', '鞋柜', '鞋架', '拖把', '雨伞',
    '床单', '被套', '被子', '枕头', '四件套', '窗帘', '地毯', '台灯', '灯泡', '胶带', '文具', '笔', '餐具', '厨具',
    '保鲜膜', '保鲜袋', '花瓶', '花盆', '工具', '五金', '家居', '日用品', '挂钩', '茶几', '茶具', '桌', '椅',
    '书包', '书桌', '书架', '背包', '行李箱', '拉杆箱', '钱包', '酒精',
  ],
  美妆个护: [
    '面膜', '口红', '唇膏', '粉底', '眼影', '睫毛膏', '眉笔', '化妆', '彩妆', '护肤', '精华', '面霜', '乳液',
    '爽肤水', '化妆水', '洗面奶', '洁面', '防晒', '香水', '卸妆', '指甲油', '美甲', '洗发水', '护发素', '沐浴露',
    '身体乳', '牙膏', '牙刷', '剃须刀', '刮胡刀', '卫生巾', '护手霜', '发膜', '梳子', '美妆', '个护',
  ],
  图书文件: [
    '书', '书籍', '图书', '》', '杂志', '文件', '合同', '资料', '证件', '票据', '发票', '档案', '试卷', '教材',
    '课本', '绘本', '漫画', '小说', '笔记本', '信件', '信函', '画册', '日历',
  ],
  母婴用品: [
    '奶粉', '纸尿裤', '尿不湿', '尿布', '奶瓶', '奶嘴', '婴儿', '宝宝', '母婴', '孕妇', '待产', '吸奶器', '辅食',
    '婴儿车', '童车', '学步', '安全座椅', '儿童座椅', '口水巾', '爬行垫', '玩具', '积木', '儿童',
  ],
  宠物用品: [
    '宠物', '猫粮', '狗粮', '猫砂', '猫', '狗', '犬', '逗猫棒', '猫爬架', '狗绳', '牵引绳', '鱼缸', '水族', '仓鼠',
    '鸟笼',
  ],
};

const KEYWORD_CATEGORY = new Map<string, ItemCategory>();
for (const [category, words] of Object.entries(CATEGORY_KEYWORDS) as [ItemCategory, string[]][]) {
  for (const w of words) KEYWORD_CATEGORY.set(w, category);
}
const KEYWORD_LENGTHS = [...new Set([...KEYWORD_CATEGORY.keys()].map((w) => w.length))].sort((a, b) => b - a);

export function generaliseItem(desc: string): ItemCategory {
  const s = desc.normalize('NFKC').toLowerCase();
  if (SENSITIVE.test(s)) return '物品';
  // A Chinese compound names its head last (儿童羽绒服, 手机壳), so the keyword
  // ending last wins, the longest one at that end (洗衣液 over 衣).
  for (let end = s.length; end > 0; end--) {
    for (const len of KEYWORD_LENGTHS) {
      if (len > end) continue;
      const category = KEYWORD_CATEGORY.get(s.slice(end - len, end));
      if (category) return category;
    }
  }
  return '物品';
}
