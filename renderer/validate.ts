// Credential shapes come from shared/credentials.ts (zod-free, so the bundle
// stays small); checked here before asking main so a message can name the field.
export { isPin, isTotpCode, isUsername, MIN_PASSWORD_LENGTH } from '../shared/credentials';
