// The counter camera (a USB overhead camera 高拍仪 or a webcam) for the
// handover photo: opened while the 出库 screen is showing and the station's
// setting asks for photos, its frames read on the encoder worker, so the
// frame of the moment a waybill is scanned is ready with no key to press. A
// frame is taken only for a handover, cropped to the counter top the settings
// name, and encoded on the worker once the handover has answered; with no
// camera, handovers go on without photos.
import { useCallback, useEffect, useRef, useState } from 'react';
import { photoWanted, type PhotoSettings } from '../../shared/photo';
import { canWatchFrames, PhotoEncoder } from '../workers/photo-encoder-client';

/** The frame of a waybill scan, held until its handover answers. */
export interface Shot {
  /** The JPEG, cut to the counter top; null when there was no frame or it could not be encoded. */
  encode(): Promise<Uint8Array<ArrayBuffer> | null>;
  /** The handover was refused: the frame is let go, never encoded. */
  drop(): void;
}

export interface CounterCamera {
  /** Whether this handover takes a photo under the setting (and a camera is delivering frames). */
  wanted(proxy: boolean): boolean;
  /** The frame of this moment, held; null when no camera is running. */
  take(): Shot | null;
  /** The camera is open and delivering frames. */
  ready: boolean;
}

export function useCounterCamera(settings: PhotoSettings | null, active: boolean): CounterCamera {
  const worker = useRef<PhotoEncoder | null>(null);
  const [ready, setReady] = useState(false);
  const on = active && settings !== null && settings.mode !== 'off';

  useEffect(() => {
    if (!on || !navigator.mediaDevices?.getUserMedia || !canWatchFrames()) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    // Started with the camera, so the first handover does not wait for the worker to load.
    const encoder = new PhotoEncoder(() => !stopped && setReady(true));
    worker.current = encoder;
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then((s) => {
        stream = s;
        // Closed while the camera was opening: it is not left on.
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        const [track] = s.getVideoTracks();
        if (track) encoder.watch(track);
      })
      // Refused or absent: the counter works on without photos.
      .catch(() => setReady(false));
    return () => {
      stopped = true;
      // The camera stops once the frames held for handovers are encoded: a held frame may not outlive it.
      void encoder.close().then(() => stream?.getTracks().forEach((t) => t.stop()));
      worker.current = null;
      setReady(false);
    };
  }, [on]);

  const take = useCallback((): Shot | null => {
    const encoder = worker.current;
    if (!encoder || !settings || !ready) return null;
    const held = encoder.hold();
    return {
      encode: async () => {
        const bytes = await held.encode(settings.crop);
        return bytes ? new Uint8Array(bytes) : null;
      },
      drop: held.drop,
    };
  }, [settings, ready]);

  const wanted = useCallback((proxy: boolean) => on && ready && settings !== null && photoWanted(settings.mode, proxy), [on, ready, settings]);
  return { wanted, take, ready };
}
