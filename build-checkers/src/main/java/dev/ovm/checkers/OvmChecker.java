package dev.ovm.checkers;

import java.util.Collection;
import java.util.List;
import org.checkerframework.checker.index.IndexChecker;
import org.checkerframework.checker.lock.LockChecker;
import org.checkerframework.checker.nullness.NullnessChecker;
import org.checkerframework.checker.signedness.SignednessChecker;
import org.checkerframework.framework.source.AggregateChecker;
import org.checkerframework.framework.source.SourceChecker;

/**
 * The one annotation processor every ovm module's main code is compiled with: Nullness, Lock,
 * Index and Signedness as a single aggregate, so that each checker reports in the same javac run
 * (listed separately, the first checker's errors silence the others).
 */
public final class OvmChecker extends AggregateChecker {
  /** Creates the aggregate; javac instantiates it reflectively. */
  public OvmChecker() {}

  @Override
  protected Collection<Class<? extends SourceChecker>> getSupportedCheckers() {
    return List.of(
        NullnessChecker.class, LockChecker.class, IndexChecker.class, SignednessChecker.class);
  }
}
