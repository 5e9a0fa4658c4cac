/** A promise queue: one holder at a time, in the order they asked. */
export class Turn {
  private tail: Promise<void> = Promise.resolve();
  held = false;

  async take(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.held = true;
    return () => {
      this.held = false;
      release();
    };
  }
}
