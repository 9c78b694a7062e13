package dev.vapiusage.adapter.vapi;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor used when an embedder gives none: each task on a new daemon thread named {@code
 * prefix-N}, so a listing never keeps a JVM alive and its threads are recognisable in a dump.
 */
final class DaemonThreads implements Executor {
  static final Executor LISTINGS = new DaemonThreads("vapi-listing");

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  private DaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void execute(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public String toString() {
    return "DaemonThreads[" + prefix + "]";
  }
}
