// Main's input rules for staff credentials, checked before asking main so a
// message can name the field at fault instead of "invalid input". They mirror
// shared/ipc/common.ts; importing those zod schemas here would add ~450 kB of
// zod to the renderer bundle for three patterns.
const USERNAME = /^[\p{L}\p{N}._-]{2,32}$/u;

export const isUsername = (s: string): boolean => USERNAME.test(s.trim());
export const isTotpCode = (s: string): boolean => /^\d{6}$/.test(s);
export const isPin = (s: string): boolean => /^\d{4,8}$/.test(s);
