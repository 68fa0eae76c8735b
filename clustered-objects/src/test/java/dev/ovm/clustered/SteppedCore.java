package dev.ovm.clustered;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a physical CPU whose quiescent points the test triggers one by one. It wakes up in
 * the barrier when started, then passes one point per {@link #passPoint()} and goes idle on
 * {@link #goIdle()} or when stopped.
 */
final class SteppedCore implements AutoCloseable {
  private enum Step { POINT, IDLE, WAKE, STOP }

  private final Quiescence quiescence;
  private final java.util.concurrent.BlockingQueue<Step> steps =
      new java.util.concurrent.LinkedBlockingQueue<>();
  private final Semaphore done = new Semaphore(0);
  private final CoreThread thread;

  SteppedCore(Quiescence quiescence, int core) {
    this.quiescence = quiescence;
    this.thread = new CoreThread(core, this::loop, "stepped-" + core);
  }

  /** Starts the core; returns once it has woken up in the barrier. */
  SteppedCore start() throws InterruptedException {
    thread.start();
    await();
    return this;
  }

  void passPoint() throws InterruptedException {
    step(Step.POINT);
  }

  void goIdle() throws InterruptedException {
    step(Step.IDLE);
  }

  void wakeUp() throws InterruptedException {
    step(Step.WAKE);
  }

  @Override
  public void close() throws InterruptedException {
    steps.add(Step.STOP);
    thread.join();
  }

  private void step(Step step) throws InterruptedException {
    steps.add(step);
    await();
  }

  private void await() throws InterruptedException {
    if (!done.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("core did not finish its step");
    }
  }

  private void loop() {
    quiescence.wakeUp();
    done.release();
    try {
      while (true) {
        Step step = steps.take();
        switch (step) {
          case POINT -> quiescence.quiescentPoint();
          case IDLE -> quiescence.goIdle();
          case WAKE -> quiescence.wakeUp();
          case STOP -> {
            quiescence.goIdle();
            return;
          }
        }
        done.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
