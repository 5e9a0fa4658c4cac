// The counter camera (a USB overhead camera 高拍仪 or a webcam) for the
// handover photo: opened while the 出库 screen is showing and the station's
// setting asks for photos, so a frame is ready the moment a waybill is
// scanned, with no key to press. A frame is taken only for a handover, cropped
// to the counter top the settings name, and encoded on a worker; with no
// camera, handovers go on without photos.
import { useCallback, useEffect, useRef, useState } from 'react';
import { photoWanted, type PhotoSettings } from '../../shared/photo';
import { PhotoEncoder } from '../workers/photo-encoder-client';

export interface CounterCamera {
  /** Whether this handover takes a photo under the setting. */
  wanted(proxy: boolean): boolean;
  /** One frame, cropped, as JPEG; null when no camera is running. */
  capture(): Promise<Uint8Array<ArrayBuffer> | null>;
  /** The camera is open and delivering frames. */
  ready: boolean;
}

export function useCounterCamera(settings: PhotoSettings | null, active: boolean): CounterCamera {
  const video = useRef<HTMLVideoElement | null>(null);
  const worker = useRef<PhotoEncoder | null>(null);
  const [ready, setReady] = useState(false);
  const on = active && settings !== null && settings.mode !== 'off';

  useEffect(() => {
    if (!on || !navigator.mediaDevices?.getUserMedia) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    // Started with the camera, so the first handover does not wait for the worker to load.
    const encoder = new PhotoEncoder();
    worker.current = encoder;
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped) return;
        const v = document.createElement('video');
        v.muted = true;
        v.playsInline = true;
        v.srcObject = s;
        await v.play();
        if (stopped) return;
        video.current = v;
        setReady(true);
      })
      // Refused or absent: the counter works on without photos.
      .catch(() => setReady(false));
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
      video.current = null;
      encoder.close();
      worker.current = null;
      setReady(false);
    };
  }, [on]);

  const capture = useCallback(async (): Promise<Uint8Array<ArrayBuffer> | null> => {
    const v = video.current;
    const encoder = worker.current;
    if (!v || !encoder || !settings || v.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !v.videoWidth) return null;
    const { x, y, w, h } = settings.crop;
    const sx = Math.round(v.videoWidth * x);
    const sy = Math.round(v.videoHeight * y);
    const sw = Math.max(1, Math.round(v.videoWidth * w));
    const sh = Math.max(1, Math.round(v.videoHeight * h));
    const bytes = await encoder.encode(await createImageBitmap(v), { sx, sy, sw, sh });
    return bytes ? new Uint8Array(bytes) : null;
  }, [settings]);

  const wanted = useCallback((proxy: boolean) => on && settings !== null && photoWanted(settings.mode, proxy), [on, settings]);
  return { wanted, capture, ready };
}
