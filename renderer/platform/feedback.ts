// What the clerk hears after a scan, so eyes can stay on the parcel: a short
// high beep when it went in, two mid beeps for a repeat, a long low buzz for
// anything wrong. Generated with WebAudio (no sound files under the CSP).
export type Tone = 'ok' | 'duplicate' | 'error';

interface Note {
  hz: number;
  ms: number;
}

const TONES: Record<Tone, { wave: OscillatorType; notes: Note[] }> = {
  ok: { wave: 'sine', notes: [{ hz: 1568, ms: 90 }] },
  duplicate: { wave: 'triangle', notes: [{ hz: 880, ms: 90 }, { hz: 0, ms: 60 }, { hz: 880, ms: 90 }] },
  error: { wave: 'square', notes: [{ hz: 196, ms: 450 }] },
};

let audio: AudioContext | null = null;

export function beep(tone: Tone): void {
  try {
    audio ??= new AudioContext();
    // Started from a scan, which is no user gesture to the autoplay policy; resume is harmless if refused.
    void audio.resume().catch(() => {});
    const { wave, notes } = TONES[tone];
    let at = audio.currentTime;
    for (const { hz, ms } of notes) {
      const end = at + ms / 1000;
      if (hz > 0) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = wave;
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.2, at);
        // A quick fade instead of a hard stop, which clicks.
        gain.gain.exponentialRampToValueAtTime(0.001, end);
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(end);
      }
      at = end;
    }
  } catch {
    // No audio device: the on-screen flash still tells the clerk.
  }
}
