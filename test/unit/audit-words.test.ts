// The audit screen shows each entry's detail as words. Its keys are written
// all over main/, so this reads them out of the source (the `detail` objects
// and the objects handed to a `record…` helper, as the compiler parses them)
// with the settings whose names become keys, and fails on any key or
// lifecycle step the locale files have no words for.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { INCIDENT_STEP_KINDS, lifecycleChannels } from '../../shared/ipc/lifecycle';
import { notifyChannels } from '../../shared/ipc/notify';
import { enAuditDetail } from '../../shared/i18n/en-audit-detail';
import { zhAuditDetail } from '../../shared/i18n/zh-audit-detail';

const MAIN = path.resolve(__dirname, '../../main');

function sources(): ts.SourceFile[] {
  return readdirSync(MAIN, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ts.createSourceFile(f, readFileSync(path.join(MAIN, f), 'utf8'), ts.ScriptTarget.Latest, true));
}

/** Every key written into an audit detail, and every lifecycle step named in one (as the source spells it). */
function recordedInSource(): { keys: Set<string>; steps: Set<string> } {
  const keys = new Set<string>();
  const steps = new Set<string>();
  const nameOf = (p: ts.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : null);
  const take = (o: ts.ObjectLiteralExpression) => {
    for (const p of o.properties) {
      const name = nameOf(p);
      if (name === null) continue;
      keys.add(name);
      if (name === 'step' && ts.isPropertyAssignment(p)) {
        const stepValues = (e: ts.Expression): void => {
          if (ts.isStringLiteral(e)) steps.add(e.text);
          else if (ts.isConditionalExpression(e)) [e.whenTrue, e.whenFalse].forEach(stepValues);
          // `incident.${step.kind}`: one step per incident step kind.
          else if (ts.isTemplateExpression(e)) INCIDENT_STEP_KINDS.forEach((k) => steps.add(`${e.head.text}${k}`));
        };
        stepValues(p.initializer);
      }
    }
  };
  for (const sf of sources()) {
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && nameOf(n) === 'detail' && ts.isObjectLiteralExpression(n.initializer)) take(n.initializer);
      // record(actor, { step, … }), recordSetting(actor, { … }): the first object handed over is the detail,
      // unless it is a whole event (its `detail` is read above).
      if (ts.isCallExpression(n) && /^this\.record(In|Setting)?$/.test(n.expression.getText(sf))) {
        const first = n.arguments.find(ts.isObjectLiteralExpression);
        if (first && !first.properties.some((p) => nameOf(p) === 'action')) take(first);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { keys, steps };
}

/** Settings changes record the names of the settings changed. */
const settingNames = [
  ...Object.keys(lifecycleChannels['lifecycle.settings'].shape),
  ...Object.keys(notifyChannels['notify.settings.update'].shape),
].filter((k) => k !== 'totp');

describe('audit detail words', () => {
  const { keys, steps } = recordedInSource();

  it('finds the details main records (the scan itself works)', () => {
    expect(keys).toContain('waybillNo');
    expect(keys).toContain('step');
    expect(steps).toContain('purge.dry_run');
    expect(steps).toContain('incident.access_restricted');
  });

  it('has words in both languages for every key an audit detail can hold', () => {
    const missing = [...keys, ...settingNames].filter((k) => !Object.hasOwn(zhAuditDetail.auditDetail.key, k));
    expect(missing).toEqual([]);
    expect(Object.keys(enAuditDetail.auditDetail.key).sort()).toEqual(Object.keys(zhAuditDetail.auditDetail.key).sort());
  });

  it('has words for every lifecycle step', () => {
    // Kept underscored: i18next reads a dot as nesting.
    const missing = [...steps].filter((s) => !Object.hasOwn(zhAuditDetail.auditDetail.step, s.replace(/\./g, '_')));
    expect(missing).toEqual([]);
  });
});
