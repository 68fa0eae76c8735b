package dev.ovm.manager.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a guest's serial console is connected.
 *
 * @param in the user's keystrokes
 * @param out the guest's output
 * @param terminal true to use the process's terminal in raw mode when there is one
 */
public record ConsoleStreams(InputStream in, OutputStream out, boolean terminal) {

  /** The process's standard input and output, with the terminal if there is one. */
  public static ConsoleStreams standard() {
    return new ConsoleStreams(System.in, new FileOutputStream(FileDescriptor.out), true);
  }
}
