// Longest recipient fields the station stores, whether typed at scan-in or
// imported from a manifest: a waybill label has room for no more.
export const MAX_NAME_LENGTH = 64;
export const MAX_PHONE_LENGTH = 32;
export const MAX_ADDRESS_LENGTH = 200;
