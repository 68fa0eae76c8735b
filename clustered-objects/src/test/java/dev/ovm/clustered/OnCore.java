package dev.ovm.clustered;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Test fixture: runs a piece of code on a fresh {@link CoreThread} and returns its result. */
final class OnCore {
  private OnCore() {}

  /** Runs {@code body} on a new CoreThread with index {@code core}, waits, rethrows failures. */
  static <T> T call(int core, Callable<T> body) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CoreThread thread = new CoreThread(core, () -> {
      try {
        result.set(body.call());
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "test-core-" + core);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("failed on core " + core, failure.get());
    }
    return result.get();
  }

  /** As {@link #call} for code without a result. */
  static void run(int core, Runnable body) throws InterruptedException {
    call(core, () -> {
      body.run();
      return null;
    });
  }
}
