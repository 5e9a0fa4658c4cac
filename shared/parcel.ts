// Parcel facts that may cross IPC. Personal fields here are always masked.

export const CARRIERS = ['SF', 'ZTO', 'YTO', 'STO', 'YUNDA', 'JD', 'EMS', 'JT'] as const;
export type Carrier = (typeof CARRIERS)[number];

export const PARCEL_STATUSES = ['expected', 'on_shelf', 'picked_up', 'returned'] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

export const ITEM_CATEGORIES = [
  '服装鞋帽', '数码电器', '食品饮料', '日用百货', '美妆个护', '图书文件', '母婴用品', '宠物用品', '物品',
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export interface MaskedParcel {
  waybillNo: string;
  carrier: Carrier;
  pickupCode: string | null;
  status: ParcelStatus;
  name: string;
  phone: string;
  address: string;
  item: ItemCategory;
}
