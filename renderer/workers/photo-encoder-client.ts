// The page's side of the photo encoder worker: the camera's frames handed to
// it once; then, per handover, the frame of the scan held and later encoded
// or let go, each answer matched to its request by id.
import type { CropRegion } from '../../shared/photo';
import type { EncoderMessage, EncoderReply } from './photo-encoder-messages';

/** Chromium's (so Electron's) reader of a camera track's frames; not in TypeScript's DOM types yet. */
declare const MediaStreamTrackProcessor: (new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> }) | undefined;

/** Whether this browser can hand a camera's frames to a worker. */
export const canWatchFrames = (): boolean => typeof MediaStreamTrackProcessor === 'function';

/** A frame held on the worker for one handover. */
export interface HeldFrame {
  /** The JPEG, cut to the counter top; null when there was no frame or encoding failed. */
  encode(crop: CropRegion): Promise<ArrayBuffer | null>;
  /** Not wanted after all (the handover was refused): the frame is let go unencoded. */
  drop(): void;
}

export class PhotoEncoder {
  private readonly worker = new Worker(new URL('./photo-encoder.js', import.meta.url), { type: 'module' });
  private readonly waiting = new Map<number, (bytes: ArrayBuffer | null) => void>();
  private next = 1;
  private idle: (() => void) | null = null;

  /** `onLive`: the worker holds a frame, so a scan gets a photo. */
  constructor(onLive: () => void) {
    this.worker.onmessage = (e: MessageEvent<EncoderReply>) => {
      if (e.data.kind === 'live') return onLive();
      if (e.data.kind === 'idle') return this.idle?.();
      this.waiting.get(e.data.id)?.(e.data.bytes);
      this.waiting.delete(e.data.id);
    };
    // A worker that fails to load or dies: those waiting get no photo, and the handover goes on.
    this.worker.onerror = () => {
      for (const resolve of this.waiting.values()) resolve(null);
      this.waiting.clear();
      this.idle?.();
    };
  }

  /** The camera's track, read frame by frame on the worker (the stream is handed over, not copied). */
  watch(track: MediaStreamTrack): void {
    const frames = new MediaStreamTrackProcessor!({ track }).readable;
    this.post({ kind: 'frames', frames }, [frames]);
  }

  /** The latest frame, held as of this call. */
  hold(): HeldFrame {
    const id = this.next++;
    this.post({ kind: 'hold', id });
    return {
      encode: (crop) =>
        new Promise((resolve) => {
          this.waiting.set(id, resolve);
          this.post({ kind: 'encode', id, crop });
        }),
      drop: () => this.post({ kind: 'drop', id }),
    };
  }

  /**
   * Resolves once every frame held is encoded or let go, when the camera may stop: a handover's photo
   * still goes to main when the screen closes just after. The worker ends itself after the camera.
   */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.idle = resolve;
      this.post({ kind: 'close' });
    });
  }

  private post(message: EncoderMessage, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
