// The one module that writes daily_closes: a day closed once, its figures
// kept as they were at the close for the report.
import { AppError } from '../../shared/errors';
import type { DailyClose } from '../../shared/closing';
import type { Queryable } from '../store/engine/store';

export const dailyCloses = {
  async record(tx: Queryable, close: DailyClose, closedBy: number): Promise<void> {
    const r = await tx.run(
      'INSERT INTO daily_closes (day, closed_by, closed_at, summary) VALUES (?, ?, ?, ?) ON CONFLICT (day) DO NOTHING',
      close.date, closedBy, close.closedAt, JSON.stringify(close),
    );
    if (!r.changes) throw new AppError('DAY_ALREADY_CLOSED', close.date);
  },

  async recent(q: Queryable, limit: number): Promise<DailyClose[]> {
    const rows = await q.all<{ summary: string }>('SELECT summary FROM daily_closes ORDER BY day DESC LIMIT ?', limit);
    return rows.map((r) => JSON.parse(r.summary) as DailyClose);
  },

  async find(tx: Queryable, day: string): Promise<DailyClose | null> {
    const json = await tx.value<string>('SELECT summary FROM daily_closes WHERE day = ?', day);
    return json ? (JSON.parse(json) as DailyClose) : null;
  },
};
