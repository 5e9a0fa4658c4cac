// Column heads of figures (counts, 元), right-aligned like their cells.
import { useOpsT, type OpsKey } from '../../i18n/operations-t';

export function NumHeads({ keys }: { keys: readonly OpsKey[] }) {
  const t = useOpsT();
  return keys.map((k) => (
    <th key={k} scope="col" className="num-col">
      {t(k)}
    </th>
  ));
}
