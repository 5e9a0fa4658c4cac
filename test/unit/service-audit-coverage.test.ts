// Audit coverage, reviewed in one table: every public method of every
// application service either records an audit entry (through its own code or
// a method of its class it calls) or is listed in services/unaudited.ts with a
// reason. A new method that records nothing fails here until it is listed; a
// listed method that records, or a listed name that is no method, fails too.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { UNAUDITED } from '../../main/app/services/unaudited';

const ROOT = resolve(__dirname, '../..');
const SERVICES = join(ROOT, 'main/app/services');
const SOURCES = [...readdirSync(SERVICES).map((f) => join(SERVICES, f)), join(ROOT, 'main/lifecycle/lifecycle.ts')];
/** Calls that write an audit entry: the recorder itself, and the oversight step that records the alert review. */
const RECORDING_CALLS = new Set(['record', 'review']);

interface Method {
  name: string;
  isPublic: boolean;
  records: boolean;
  calls: Set<string>;
  /** Methods of another service it calls through its field named after it (`this.counter.handOver` → CounterService.handOver). */
  delegates: Set<string>;
}

function methodsOf(cls: ts.ClassDeclaration): Map<string, Method> {
  const methods = new Map<string, Method>();
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
    const m: Method = {
      name: member.name.text,
      isPublic: !member.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword),
      records: false,
      calls: new Set(),
      delegates: new Set(),
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const callee = node.expression.name.text;
        const target = node.expression.expression;
        if (target.kind === ts.SyntaxKind.ThisKeyword) m.calls.add(callee);
        else if (RECORDING_CALLS.has(callee)) m.records = true;
        else if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
          m.delegates.add(`${serviceNamed(target.name.text)}.${callee}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(member.body);
    methods.set(m.name, m);
  }
  return methods;
}

/** Whether `name` records, directly, through methods of its class it calls, or through another service's. */
function records(methods: Map<string, Method>, name: string, seen = new Set<Method>()): boolean {
  const m = methods.get(name);
  if (!m || seen.has(m)) return false;
  seen.add(m);
  return (
    m.records ||
    [...m.calls].some((c) => records(methods, c, seen)) ||
    [...m.delegates].some((d) => {
      const [service, method] = d.split('.');
      const other = services.get(service);
      return !!other && records(other, method, seen);
    })
  );
}

const serviceNamed = (field: string): string => `${field[0].toUpperCase()}${field.slice(1)}Service`;

const services = new Map<string, Map<string, Method>>();
for (const file of SOURCES) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  source.forEachChild((node) => {
    if (ts.isClassDeclaration(node) && node.name && (node.name.text.endsWith('Service') || node.name.text === 'Lifecycle')) {
      services.set(node.name.text, methodsOf(node));
    }
  });
}

describe('application services: every public method is audited or listed as unaudited with a reason', () => {
  it('finds the service of every domain', () => {
    expect([...services.keys()].sort()).toEqual(
      ['AccountsService', 'ClosingService', 'CounterService', 'DevicesService', 'InboundService', 'LedgerService', 'Lifecycle', 'NotifyService', 'OversightService', 'PhotosService', 'ShelvesService', 'StocktakeService'].sort(),
    );
    expect(Object.keys(UNAUDITED).sort()).toEqual([...services.keys()].sort());
  });

  for (const [service, methods] of services) {
    const publicMethods = [...methods.values()].filter((m) => m.isPublic).map((m) => m.name);
    const listed = UNAUDITED[service] ?? {};

    it(`${service}: each public method records an audit entry unless listed`, () => {
      const unaccounted = publicMethods.filter((name) => !(name in listed) && !records(methods, name));
      expect(unaccounted).toEqual([]);
    });

    it(`${service}: the table is true (listed methods exist, have a reason and record nothing)`, () => {
      for (const [name, reason] of Object.entries(listed)) {
        expect(publicMethods, `${service}.${name}`).toContain(name);
        expect(reason.trim().length, `${service}.${name}`).toBeGreaterThan(10);
        expect(records(methods, name), `${service}.${name} records: take it off the list`).toBe(false);
      }
    });
  }
});
