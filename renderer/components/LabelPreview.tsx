// A privacy label as main renders it (PNG bytes), shown through a blob URL
// that is revoked as soon as the preview goes away.
import { useEffect, useState } from 'react';
import { useLoad } from '../hooks/use-load';
import { Problem } from './Problem';

export function LabelPreview({ parcelId, alt }: { parcelId: number; alt: string }) {
  const { data: label, problem } = useLoad('labels.preview', { parcelId }, [parcelId]);
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!label) return;
    const made = URL.createObjectURL(new Blob([new Uint8Array(label.png)], { type: 'image/png' }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [label]);

  return (
    <div className="label-preview">
      {url && <img src={url} alt={alt} />}
      <Problem id={`label-preview-problem-${parcelId}`} problem={problem} />
    </div>
  );
}
