// Imported first by main.tsx, before any schema is built: the CSP allows no
// eval, and without this zod probes `new Function` as it builds object
// schemas (a CSP violation report) before falling back to the same checks.
import { config } from 'zod';

config({ jitless: true });
