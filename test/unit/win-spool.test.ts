// The Windows spooler bridge, tested where it can be here: the PowerShell call
// it builds and the reading of what PowerShell prints. It has never run
// against a real spooler in these tests (README says so).
import { describe, expect, it } from 'vitest';
import {
  checkRawJobReply, listCall, parseWinPrinters, POWERSHELL, POWERSHELL_ARGS, PRINTER_ENV, rawJobCall, stateCall, winStatusProblems, WinSpooler, type PowerShellCall,
} from '../../main/devices/connections/win-spool';
import type { ToolResult } from '../../main/devices/connections/run-tool';

const ok = (stdout: string): ToolResult => ({ code: 0, stdout, stderr: '' });

describe('Windows spooler bridge', () => {
  it('builds a RAW job call: the name in the environment, the job as base64 on stdin, nothing spliced into the script', () => {
    const name = `Gprinter "GP-1324D"; Remove-Item C:\\ -Recurse`;
    const job = Uint8Array.of(0x1b, 0x21, 0x3f, 0, 0xff);
    const call = rawJobCall(name, job);
    expect(call.command).toBe(POWERSHELL);
    expect(call.args.slice(0, -1)).toEqual([...POWERSHELL_ARGS]);
    const script = call.args.at(-1)!;
    expect(script).not.toContain(name);
    expect(script).toContain('[DllImport("winspool.drv"');
    expect(script).toContain('pDatatype = "RAW"');
    expect(script).toContain(`$env:${PRINTER_ENV}`);
    expect(call.env).toEqual({ [PRINTER_ENV]: name });
    expect(Buffer.from(new TextDecoder().decode(call.input), 'base64')).toEqual(Buffer.from(job));
    expect(stateCall(name).env).toEqual({ [PRINTER_ENV]: name });
    expect(stateCall(name).args.at(-1)).not.toContain(name);
    expect(listCall().args.at(-1)).toContain('Get-Printer');
  });

  it('reads the job reply: accepted, refused at a step, cut short, or no reply at all', () => {
    expect(() => checkRawJobReply('P', 5, ok('{"ok":true,"job":17,"written":5}\r\n'))).not.toThrow();
    expect(() => checkRawJobReply('P', 5, ok('{"ok":false,"step":"OpenPrinter","win32":1801}'))).toThrow(/SPOOLER_FAILED|OpenPrinter failed \(Win32 error 1801\)/);
    expect(() => checkRawJobReply('P', 5, ok('{"ok":true,"job":17,"written":3}'))).toThrow(/3 of 5 bytes/);
    expect(() => checkRawJobReply('P', 5, { code: 1, stdout: '', stderr: 'Add-Type : Cannot add type.\r\nmore' })).toThrow(/Add-Type : Cannot add type\.\)/);
  });

  it('reads Get-Printer: one printer or many, and the states that hold a label', () => {
    expect(parseWinPrinters('{"name":"P1","driver":"Gprinter","port":"USB001","status":"Normal"}')).toEqual([{ name: 'P1', driver: 'Gprinter', port: 'USB001', status: 'Normal' }]);
    expect(parseWinPrinters('[{"name":"A","status":"Normal"},{"name":"B","status":"Offline"}]').map((p) => p.name)).toEqual(['A', 'B']);
    expect(parseWinPrinters('{}')).toEqual([]);
    expect(parseWinPrinters('')).toEqual([]);
    expect(winStatusProblems('Normal')).toEqual([]);
    expect(winStatusProblems('PaperOut')).toEqual(['paper-out']);
    expect(winStatusProblems('Paused, DoorOpen')).toEqual(['paused', 'cover-open']);
    expect(winStatusProblems('Offline')).toEqual(['offline']);
  });

  it('a spooler: state and submit through the bridge it is given', async () => {
    const calls: PowerShellCall[] = [];
    const spooler = new WinSpooler(async (call) => {
      calls.push(call);
      if (call.input) return ok('{"ok":true,"job":3,"written":2}');
      return ok(call.env[PRINTER_ENV] === 'Label' ? '{"name":"Label","status":"PaperOut"}' : '{}');
    });
    expect(await spooler.state('Label')).toEqual(['paper-out']);
    await expect(spooler.state('Nope')).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
    await spooler.submit('Label', Uint8Array.of(1, 2));
    expect(calls.at(-1)!.env).toEqual({ [PRINTER_ENV]: 'Label' });
  });
});
