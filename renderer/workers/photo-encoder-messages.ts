// What the page and the photo encoder worker say to each other.
export interface EncodeRequest {
  id: number;
  frame: ImageBitmap;
  /** The counter-top region, in the frame's pixels. */
  crop: { sx: number; sy: number; sw: number; sh: number };
}

/** The JPEG, or null when the frame could not be encoded. */
export interface EncodeReply {
  id: number;
  bytes: ArrayBuffer | null;
}
