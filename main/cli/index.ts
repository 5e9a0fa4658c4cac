// Admin CLI for supervisors' scripts and automation: `npm run cli -- <command>`.
// Same services as the app; passphrase from STATION_PASSPHRASE; JSON on stdout;
// on error a bilingual JSON message on stderr and a non-zero exit.
import { AppError, bilingual, errorMessages } from '../../shared/errors';
import { storeError } from '../store/database';
import { commands, type CommandName } from './commands';
import { UsageError } from './usage-error';

const USAGE = `privacy-counter CLI
  init   --db PATH [--name STATION_NAME]  (PATH may be a postgres:// URL, in every command)
  migrate-to-pg --db STATION.db --to postgres://…  (the SQLite file is only read)
  import --db PATH FILE.csv
  lookup --db PATH (--tail NNNN | --phone P | --waybill W | --code C)
  label  --db PATH --waybill W --format tspl|escpos|escpos-raster|tspl-raster|pdf|png
         --size 40x30|60x40|76x130|58|80 [--dpi 203|300] [--qr] --out FILE
  print  --db PATH --waybill W --printer URI [--format tspl|escpos|tspl-raster|escpos-raster] [--size 60x40]
         (URI: usb://VID:PID[/SERIAL], tcp://HOST[:9100], cups://QUEUE, win://PRINTER NAME, hid://VID:PID)
  printers  (USB printers, CUPS or Windows queues, HID devices; one per line)
  scan-in --db PATH --waybill W [--carrier C] [--shelf N]
  pickup  --db PATH --code C --confirm-waybill W [--proxy]
  overdue --db PATH [--days N]
  shred   --db PATH --waybills FILE --method shredder|outsourced|burn [--device ID | --certificate NO]
          --operator USER --operator-code CODE --witness USER --witness-code CODE [--notes TEXT]
  stocktake --db PATH --scans FILE  (each line a waybill, or @SHELF-LAYER for where the next ones were found)
  daily-close --db PATH --date YYYY-MM-DD [--format pdf|csv --out FILE]  (also writes FILE.sig)
  settlement --db PATH --from YYYY-MM-DD --to YYYY-MM-DD --format csv|pdf --out FILE  (also writes FILE.sig)
  ledger-export --db PATH --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|csv --out FILE  (also writes FILE.sig)
  verify  --db PATH [--against EXPORT_FILE] [--store]  (--store: the parcel rows only)
  verify-export FILE [--sig FILE.sig] (--fingerprint FP | --key STATION.pem | --db PATH)
          (--fingerprint and --key work offline; --db needs the passphrase)
  station-key --db PATH --out FILE.pem  (the station's public key, for verify-export --key)
  purge   --db PATH [--dry-run]
  notify  --db PATH [--dry-run]  (sends the pickup notices that are due; one line per notice)
  outbox  --db PATH [--limit N]  (the notice outbox, newest first)
  backup  --db PATH --out FILE
  restore --in FILE --db NEWPATH  (NEWPATH must not exist, or be an empty server database; the passphrase at backup time)
  change-passphrase --db PATH  (NEW_STATION_PASSPHRASE: the new passphrase)
  rotate-key --db PATH
  account add --db PATH --username U --role clerk|supervisor|auditor [--display-name N]  (ACCOUNT_PASSWORD: first password)
  account list --db PATH
  account disable|unlock --db PATH --username U
  account reset-2fa --db PATH --username U  (prints the new enrolment URI and recovery codes once)
Environment: STATION_PASSPHRASE (the station passphrase)`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command: ${name}`);
  await commands[name as CommandName](rest, (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`));
  return 0;
}

function fail(code: string, message: string, exitCode: number): number {
  process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  return exitCode;
}

void main(process.argv.slice(2))
  .catch((thrown: unknown) => {
    // A damaged store can fail at any read, not only at opening.
    const e = storeError(thrown);
    if (e instanceof AppError) return fail(e.code, e.message, 1);
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return fail('USAGE', `${bilingual(errorMessages.INVALID_INPUT)}: ${(e as Error).message}\n${USAGE}`, 2);
    }
    return fail('INTERNAL', `${bilingual(errorMessages.INTERNAL)}: ${(e as Error).message}`, 1);
  })
  .then((code) => {
    process.exitCode = code;
  });
