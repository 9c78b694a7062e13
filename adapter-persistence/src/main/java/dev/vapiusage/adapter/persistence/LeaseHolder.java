package dev.vapiusage.adapter.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names the process that holds a sync lease, so that a process on the same machine can tell that
 * the holder has died (a killed CLI sync, a crashed server) and take its users over at once.
 *
 * <p>The machine is the host name, the kernel's boot id and the process-id namespace: a holder is
 * judged only by a process that shares all three, so a container with the host's name but its own
 * process ids, a clone of the machine, or the machine after a reboot never judges it. The process
 * is its id and its start time in clock ticks since boot (immune to clock steps, and telling a
 * reused id apart). Where these cannot be read (not Linux), the machine is empty and leases are
 * only ever replaced when they expire.
 */
record LeaseHolder(String machine, long pid, long startTicks) {
  private static final LeaseHolder CURRENT = current();

  static LeaseHolder thisProcess() {
    return CURRENT;
  }

  /** The text stored in {@code sync_lease.holder}. */
  String text() {
    return machine + " " + pid + " " + startTicks;
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

  /** True only when the holder ran on this machine and that process is certainly gone. */
  boolean isGone() {
    if (machine.isEmpty() || !machine.equals(CURRENT.machine) || startTicks < 0) {
      return false;
    }
    return startTicks(pid) != startTicks;
  }

  private static LeaseHolder current() {
    long pid = ProcessHandle.current().pid();
    long ticks = startTicks(pid);
    return new LeaseHolder(ticks < 0 ? "" : machineOrEmpty(), pid, ticks);
  }

  private static String machineOrEmpty() {
    String host = hostName();
    String boot = read(Path.of("/proc/sys/kernel/random/boot_id"));
    String namespace;
    try {
      namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | RuntimeException e) {
      namespace = "";
    }
    if (host.isEmpty() || host.equals("localhost") || boot.isEmpty() || namespace.isEmpty()) {
      return "";
    }
    return (host + "/" + boot + "/" + namespace).replace(' ', '_');
  }

  /** Field 22 of {@code /proc/<pid>/stat}, the start time in ticks since boot; -1 when absent. */
  static long startTicks(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    int afterName = stat.lastIndexOf(')');
    if (afterName < 0) {
      return -1;
    }
    String[] fields = stat.substring(afterName + 1).trim().split(" ");
    // The fields after the name start at field 3 (state): field 22 is at index 19.
    try {
      return fields.length > 19 ? Long.parseLong(fields[19]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      name = read(Path.of("/proc/sys/kernel/hostname"));
    }
    return name == null ? "" : name.strip();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
