package dev.vapiusage.adapter.http;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host names the server answers to, by the request's {@code Host} header. A page on another
 * site can make a browser resolve its own name to this server's address (DNS rebinding); its
 * requests then carry that name, so refusing unknown names keeps such pages from reading or driving
 * the server, the unauthenticated routes included.
 */
final class AllowedHosts {
  private static final AllowedHosts ANY = new AllowedHosts(Set.of());

  /** Lower-case names without port; IPv6 addresses in brackets. Empty means any. */
  private final Set<String> names;

  private AllowedHosts(Set<String> names) {
    this.names = names;
  }

  static AllowedHosts any() {
    return ANY;
  }

  /** {@code names} as in {@code ALLOWED_HOSTS}: host names or addresses, without ports. */
  static AllowedHosts of(Set<String> names) {
    if (names.isEmpty() || names.contains("*")) {
      return ANY;
    }
    return new AllowedHosts(
        names.stream().map(AllowedHosts::normalize).collect(Collectors.toUnmodifiableSet()));
  }

  boolean isAny() {
    return names.isEmpty();
  }

  boolean allows(String hostHeader) {
    if (names.isEmpty()) {
      return true;
    }
    if (hostHeader == null) {
      return false;
    }
    return names.contains(normalize(withoutPort(hostHeader.strip())));
  }

  private static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    // More than one colon: a bare IPv6 address, which has no port here.
    return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    if (lower.indexOf(':') >= 0 && !lower.startsWith("[")) {
      lower = "[" + lower + "]";
    }
    return lower;
  }
}
