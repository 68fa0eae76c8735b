package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaddedLongTest {
  @Test
  void readsSeeWritesInEveryMode() {
    PaddedLong cell = new PaddedLong(5);
    assertEquals(5, cell.get());
    cell.set(6);
    assertEquals(6, cell.getPlain());
    cell.setOpaque(7);
    assertEquals(7, cell.getOpaque());
    cell.setRelease(8);
    assertEquals(8, cell.getAcquire());
    assertEquals(0, new PaddedLong().get());
  }

  @Test
  void readModifyWriteOperations() {
    PaddedLong cell = new PaddedLong(10);
    assertEquals(10, cell.getAndAdd(5));
    assertEquals(15, cell.get());
    assertFalse(cell.compareAndSet(10, 0));
    assertTrue(cell.compareAndSet(15, 1));
    assertEquals(1, cell.getAndSet(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, cell.getAndAdd(1));
    assertEquals(Long.MIN_VALUE, cell.get(), "wraps as long arithmetic");
  }
}
