// A privacy label as main renders it (PNG bytes), shown through a blob URL
// that is revoked as soon as the preview goes away.
import { useEffect, useState } from 'react';
import { Problem, type ProblemData } from './Problem';
import { useInvoke } from '../app/session';

export function LabelPreview({ parcelId, alt }: { parcelId: number; alt: string }) {
  const invoke = useInvoke();
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);

  useEffect(() => {
    let live = true;
    let made: string | null = null;
    void invoke('labels.preview', { parcelId }).then((res) => {
      if (!live) return;
      if (!res.ok) return setProblem({ error: res.error });
      made = URL.createObjectURL(new Blob([new Uint8Array(res.value.png)], { type: 'image/png' }));
      setUrl(made);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [invoke, parcelId]);

  return (
    <div className="label-preview">
      {url && <img src={url} alt={alt} />}
      <Problem id={`label-preview-problem-${parcelId}`} problem={problem} />
    </div>
  );
}
