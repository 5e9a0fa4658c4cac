// What the page and the photo encoder worker say to each other.
import type { CropRegion } from '../../shared/photo';

/** The camera's frames, once, when the camera opens: the worker keeps only the latest. */
export interface FramesMessage {
  kind: 'frames';
  frames: ReadableStream<VideoFrame>;
}

/** Keep the latest frame, as of now, under this id. */
export interface HoldMessage {
  kind: 'hold';
  id: number;
}

/** Encode the frame held under this id, cut to the counter top (fractions of the frame), and let it go. */
export interface EncodeMessage {
  kind: 'encode';
  id: number;
  crop: CropRegion;
}

/** Let the frame held under this id go unencoded. */
export interface DropMessage {
  kind: 'drop';
  id: number;
}

/** The camera is closing: say when every frame held is encoded or let go, and end once its stream has ended. */
export interface CloseMessage {
  kind: 'close';
}

export type EncoderMessage = FramesMessage | HoldMessage | EncodeMessage | DropMessage | CloseMessage;

/** The JPEG, or null when there was no frame or it could not be encoded. */
export interface EncodeReply {
  kind: 'photo';
  id: number;
  bytes: ArrayBuffer | null;
}

/** The first frame has come: from now on a scan gets a photo. */
export interface LiveReply {
  kind: 'live';
}

/** Closing, and no frame held any more: the camera may stop (a held frame may not outlive it). */
export interface IdleReply {
  kind: 'idle';
}

export type EncoderReply = EncodeReply | LiveReply | IdleReply;
