// The page's side of the photo encoder worker: one request per frame, the
// frame handed over (not copied), each answer matched to its request by id.
import type { EncodeReply, EncodeRequest } from './photo-encoder-messages';

export class PhotoEncoder {
  private readonly worker = new Worker(new URL('./photo-encoder.js', import.meta.url), { type: 'module' });
  private readonly waiting = new Map<number, (bytes: ArrayBuffer | null) => void>();
  private next = 1;

  constructor() {
    this.worker.onmessage = (e: MessageEvent<EncodeReply>) => {
      this.waiting.get(e.data.id)?.(e.data.bytes);
      this.waiting.delete(e.data.id);
    };
    // A worker that fails to load or dies: those waiting get no photo, and the handover goes on.
    this.worker.onerror = () => this.giveUp();
  }

  encode(frame: ImageBitmap, crop: EncodeRequest['crop']): Promise<ArrayBuffer | null> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, frame, crop } satisfies EncodeRequest, [frame]);
    });
  }

  close(): void {
    this.worker.terminate();
    this.giveUp();
  }

  private giveUp(): void {
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }
}
