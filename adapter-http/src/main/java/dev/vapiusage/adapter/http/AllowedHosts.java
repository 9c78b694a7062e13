package dev.vapiusage.adapter.http;

import java.net.URI;
import java.net.URISyntaxException;
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

  boolean allows(String hostHeader) {
    if (names.isEmpty()) {
      return true;
    }
    if (hostHeader == null) {
      return false;
    }
    // The header read the way SameOrigin reads it: as the authority of a URI (an IPv6 address
    // keeps its brackets, the port goes); a header that is no authority names no allowed host.
    try {
      String host = new URI("http://" + hostHeader.strip()).getHost();
      return host != null && names.contains(normalize(host));
    } catch (URISyntaxException e) {
      return false;
    }
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
