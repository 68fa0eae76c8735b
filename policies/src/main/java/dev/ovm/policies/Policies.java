package dev.ovm.policies;

import dev.ovm.policies.credit.CreditScheduler;
import dev.ovm.vmm.sched.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of scheduling policies by name (as Xen's {@code REGISTER_SCHEDULER}): {@link
 * #create} returns a fresh instance, one per pool. Names: {@value RoundRobin#NAME}, {@value
 * dev.ovm.policies.credit.CreditScheduler#NAME}, {@value FairShare#NAME}, {@value
 * EarliestDeadlineFirst#NAME}, {@value GangScheduler#NAME}, {@value StaticPinning#NAME}.
 *
 * <p>Thread safety: immutable; safe from any thread.
 */
public final class Policies {
  private static final Map<String, Supplier<Scheduler>> FACTORIES = factories();

  private Policies() {}

  private static Map<String, Supplier<Scheduler>> factories() {
    Map<String, Supplier<Scheduler>> factories = new LinkedHashMap<>();
    factories.put(RoundRobin.NAME, RoundRobin::new);
    factories.put(CreditScheduler.NAME, CreditScheduler::new);
    factories.put(FairShare.NAME, FairShare::new);
    factories.put(EarliestDeadlineFirst.NAME, EarliestDeadlineFirst::new);
    factories.put(GangScheduler.NAME, GangScheduler::new);
    factories.put(StaticPinning.NAME, StaticPinning::new);
    return factories;
  }

  /** The registered names, in a fixed order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /**
   * A new, not yet started instance of the policy registered as {@code name}; its {@link
   * Scheduler#name()} is {@code name}.
   *
   * @throws IllegalArgumentException if no policy has that name
   */
  public static Scheduler create(String name) {
    Supplier<Scheduler> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "no scheduling policy '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return factory.get();
  }
}
