package dev.vapiusage.adapter.persistence;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Names the process that holds a sync lease: host, process id and the process's start time. A
 * lease names its holder so that a process on the same host can tell that the holder has died (a
 * killed CLI sync, a crashed server) and take its users over at once; a holder on another host is
 * only ever replaced when its lease expires. The start time tells a reused process id apart.
 */
record LeaseHolder(String host, long pid, long startedMillis) {
  private static final LeaseHolder CURRENT = current();

  static LeaseHolder thisProcess() {
    return CURRENT;
  }

  /** The text stored in {@code sync_lease.holder}. */
  String text() {
    return host + " " + pid + " " + startedMillis;
  }

  /** A stored holder; empty for a null or unreadable text (which is never taken for dead). */
  static Optional<LeaseHolder> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int second = text.lastIndexOf(' ');
    int first = second > 0 ? text.lastIndexOf(' ', second - 1) : -1;
    if (first <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LeaseHolder(
              text.substring(0, first),
              Long.parseLong(text.substring(first + 1, second)),
              Long.parseLong(text.substring(second + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True only when the holder ran on this host and that process is certainly gone. */
  boolean isGone() {
    if (!host.equals(CURRENT.host) || host.isEmpty()) {
      return false;
    }
    return ProcessHandle.of(pid)
        .map(p -> p.info().startInstant().map(s -> s.toEpochMilli() != startedMillis).orElse(false))
        .orElse(true);
  }

  private static LeaseHolder current() {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return new LeaseHolder(hostName(), self.pid(), started);
  }

  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = Files.readString(Path.of("/proc/sys/kernel/hostname"));
      } catch (IOException | RuntimeException e) {
        name = null;
      }
    }
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        name = "";
      }
    }
    return name.strip();
  }
}
