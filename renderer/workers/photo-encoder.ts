// The handover photo's JPEG, encoded off the page's thread: a page's canvas
// encodes in the page's idle time, and a counter screen busy with the next
// scan may have none for a few hundred milliseconds. A worker has no such
// wait. The frame arrives as an ImageBitmap (transferred, not copied) with
// the crop to cut from it; the bytes go back transferred too.
import type { EncodeRequest, EncodeReply } from './photo-encoder-messages';

/**
 * Widest photo kept: the parcel on the counter top stays plain to see, and a
 * month of handovers at a busy counter stays a few gigabytes, not tens.
 */
const MAX_WIDTH = 960;

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: EncodeReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, frame, crop } = e.data;
  void (async () => {
    try {
      const scale = Math.min(1, MAX_WIDTH / crop.sw);
      const w = Math.max(1, Math.round(crop.sw * scale));
      const h = Math.max(1, Math.round(crop.sh * scale));
      const canvas = new OffscreenCanvas(w, h);
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.drawImage(frame, crop.sx, crop.sy, crop.sw, crop.sh, 0, 0, w, h);
      const bytes = await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.75 })).arrayBuffer();
      scope.postMessage({ id, bytes }, [bytes]);
    } catch {
      scope.postMessage({ id, bytes: null });
    } finally {
      frame.close();
    }
  })();
};
