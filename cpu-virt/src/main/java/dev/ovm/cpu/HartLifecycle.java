package dev.ovm.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hart's power state as the SBI Hart State Management extension sees it (SBI spec v2.0 ch. 9):
 * started, stopped, start pending, suspended. A stopped hart is not scheduled; another
 * hart's {@code hart_start} moves it to start pending, and the hart itself then enters S-mode at
 * the requested address when it next runs.
 *
 * <p>Threads: {@link #requestStart} runs on the starting hart's thread; everything else on the
 * hart's own thread (or before it runs). The state is atomic so that other threads may read it;
 * the start arguments are read and written only in synchronized methods, together with the
 * STOPPED → START_PENDING transition, so two harts starting the same hart cannot mix their
 * arguments.
 */
final class HartLifecycle {
  /** SBI HSM states (SBI spec v2.0 ch. 9). */
  static final int STARTED = 0;
  static final int STOPPED = 1;
  static final int START_PENDING = 2;
  static final int SUSPENDED = 4;

  private final AtomicInteger state = new AtomicInteger(STARTED);
  /** Where a started hart enters S-mode, and its {@code a1}. */
  record Start(long address, long opaque) {}

  /** Written and read only in synchronized methods. */
  private Start start = new Start(0, 0);

  int state() {
    return state.get();
  }

  void set(int newState) {
    state.set(newState);
  }

  /** STOPPED → START_PENDING with the given entry; false if the hart was not stopped. */
  synchronized boolean requestStart(long address, long opaque) {
    if (!state.compareAndSet(STOPPED, START_PENDING)) {
      return false;
    }
    start = new Start(address, opaque);
    return true;
  }

  /** The pending start, read once START_PENDING was seen. */
  synchronized Start takeStart() {
    return start;
  }
}
