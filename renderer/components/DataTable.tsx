// A list as a table with a caption and column heads, in a scrolling region
// that takes the keyboard focus (so a long list scrolls without a mouse).
import type { ReactNode } from 'react';

/** A column head: its words, or its words and a class (e.g. "num-col" for right-aligned numbers). */
export type Column = string | { label: string; className?: string };

interface Props {
  /** The caption's id is `${id}-caption`; the region is labelled by it. */
  id: string;
  caption: string;
  columns: Column[];
  /** More classes beside "data-table". */
  className?: string;
  /** A taller region, for the long lists (audit log, outstanding papers). */
  tall?: boolean;
  /** The rows. */
  children: ReactNode;
}

export function DataTable({ id, caption, columns, className, tall = false, children }: Props) {
  return (
    <div className={tall ? 'table-scroll tall' : 'table-scroll'} tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table className={className ? `data-table ${className}` : 'data-table'}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => {
              const { label, className: cls } = typeof c === 'string' ? { label: c, className: undefined } : c;
              return (
                <th key={i} scope="col" className={cls}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
