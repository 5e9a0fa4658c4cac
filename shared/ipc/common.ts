// Schema pieces shared by several channel groups.
import { z } from 'zod';

export const empty = z.object({}).strict();
/** A fresh authenticator code: supervisors' actions carry one (step-up). */
export const totpCode = z.string().regex(/^\d{6}$/);
export const username = z.string().trim().min(2).max(32).regex(/^[\p{L}\p{N}._-]+$/u);
export const password = z.string().min(1).max(256);
export const pin = z.string().regex(/^\d{4,8}$/);
