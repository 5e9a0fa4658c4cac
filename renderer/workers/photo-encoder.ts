// The handover photo, taken and encoded off the page's thread. The worker
// reads the camera's frames as they come and keeps only the latest, so at a
// waybill scan the page just asks it to hold that frame, the one the camera
// showed at that moment; converting it (YUV to RGB, cut and scaled) and the
// JPEG encoding happen here, when the page asks, which is once the handover
// has answered, so they do not compete with it for the machine. The bytes go
// back transferred, not copied.
import type { EncodeMessage, EncoderMessage, EncoderReply } from './photo-encoder-messages';

/**
 * Widest photo kept: the parcel on the counter top stays plain to see, and a
 * month of handovers at a busy counter stays a few gigabytes, not tens.
 */
const MAX_WIDTH = 960;

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EncoderMessage>) => void) | null;
  postMessage(message: EncoderReply, transfer?: Transferable[]): void;
  close(): void;
};

let latest: VideoFrame | null = null;
/** Frames held for a handover, by the page's id; null when there was none to hold. */
const held = new Map<number, VideoFrame | null>();
/** Reading a camera's stream. */
let reading = false;
let closing = false;
let idleSaid = false;

/**
 * Once the page is closing the camera and no frame is held, says so (the page then stops the
 * camera, whose frames a held one may not outlive), and ends when the stream has ended too:
 * ending sooner would drop frames still on their way unclosed, which stalls the camera.
 */
function closeWhenIdle(): void {
  if (!closing || held.size) return;
  if (!idleSaid) scope.postMessage({ kind: 'idle' });
  idleSaid = true;
  if (!reading) scope.close();
}

async function keepLatest(frames: ReadableStream<VideoFrame>): Promise<void> {
  reading = true;
  const reader = frames.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!latest) scope.postMessage({ kind: 'live' });
      latest?.close();
      latest = value;
    }
  } finally {
    // The camera stopped: its last frame goes (those held for a handover stay until encoded).
    latest?.close();
    latest = null;
    reading = false;
    closeWhenIdle();
  }
}

async function encode({ id, crop }: EncodeMessage): Promise<void> {
  const frame = held.get(id) ?? null;
  if (!frame) {
    held.delete(id);
    scope.postMessage({ kind: 'photo', id, bytes: null });
    return closeWhenIdle();
  }
  try {
    const fw = frame.displayWidth;
    const fh = frame.displayHeight;
    const sx = Math.round(fw * crop.x);
    const sy = Math.round(fh * crop.y);
    const sw = Math.max(1, Math.round(fw * crop.w));
    const sh = Math.max(1, Math.round(fh * crop.h));
    const scale = Math.min(1, MAX_WIDTH / sw);
    const w = Math.max(1, Math.round(sw * scale));
    const h = Math.max(1, Math.round(sh * scale));
    const canvas = new OffscreenCanvas(w, h);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.drawImage(frame, sx, sy, sw, sh, 0, 0, w, h);
    const bytes = await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.75 })).arrayBuffer();
    scope.postMessage({ kind: 'photo', id, bytes }, [bytes]);
  } catch {
    scope.postMessage({ kind: 'photo', id, bytes: null });
  } finally {
    frame.close();
    // Held until encoded: the worker may not end, nor the camera stop, while a photo is on its way.
    held.delete(id);
    closeWhenIdle();
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.kind === 'frames') void keepLatest(m.frames);
  else if (m.kind === 'hold') held.set(m.id, latest?.clone() ?? null);
  else if (m.kind === 'encode') void encode(m);
  else if (m.kind === 'drop') {
    held.get(m.id)?.close();
    held.delete(m.id);
    closeWhenIdle();
  } else {
    closing = true;
    closeWhenIdle();
  }
};
