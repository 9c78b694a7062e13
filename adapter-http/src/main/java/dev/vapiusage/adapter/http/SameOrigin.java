package dev.vapiusage.adapter.http;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a browser request comes from this server's own origin, by its {@code Origin}
 * header, else its {@code Referer}, compared with the scheme and {@code Host} the request reached
 * the server with. A request with neither header proves nothing and counts as foreign.
 */
final class SameOrigin {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private SameOrigin() {}

  static boolean isSameOrigin(Context ctx) {
    return isSameOrigin(
        ctx.header("Origin"),
        ctx.header("Referer"),
        ctx.header("Sec-Fetch-Site"),
        ctx.scheme(),
        ctx.header("Host"));
  }

  /**
   * Whether the request explicitly names a foreign origin; absent headers prove nothing either way.
   */
  static boolean isExplicitlyForeign(Context ctx) {
    String origin = ctx.header("Origin");
    String referer = ctx.header("Referer");
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (origin == null && referer == null && fetchSite == null) {
      return false;
    }
    return !isSameOrigin(origin, referer, fetchSite, ctx.scheme(), ctx.header("Host"));
  }

  static boolean isSameOrigin(
      String origin, String referer, String fetchSite, String scheme, String host) {
    if (fetchSite != null) {
      String site = fetchSite.trim().toLowerCase(Locale.ROOT);
      // same-site still means another origin (another port or subdomain).
      if (site.equals("cross-site") || site.equals("same-site")) {
        return false;
      }
      if (origin == null && referer == null) {
        return false;
      }
    }
    String claimed = origin != null ? origin : referer;
    if (claimed == null || host == null || scheme == null) {
      return false;
    }
    Endpoint expected = Endpoint.ofHost(scheme, host);
    Endpoint actual = Endpoint.ofUri(claimed);
    return expected != null && actual != null && expected.sameAs(actual);
  }

  /** Scheme, host and port, with the scheme's default port filled in. */
  private static final class Endpoint {
    final String scheme;
    final String host;
    final int port;

    private Endpoint(String scheme, String host, int port) {
      this.scheme = scheme.toLowerCase(Locale.ROOT);
      this.host = host.toLowerCase(Locale.ROOT);
      this.port = port;
    }

    static Endpoint ofUri(String text) {
      if (text.isBlank() || text.trim().equals("null")) {
        return null;
      }
      try {
        URI uri = new URI(text.trim());
        if (uri.getScheme() == null || uri.getHost() == null) {
          return null;
        }
        return new Endpoint(uri.getScheme(), uri.getHost(), portOr(uri.getPort(), uri.getScheme()));
      } catch (java.net.URISyntaxException e) {
        return null;
      }
    }

    static Endpoint ofHost(String scheme, String hostHeader) {
      return ofUri(scheme + "://" + hostHeader.trim());
    }

    private static int portOr(int port, String scheme) {
      if (port >= 0) {
        return port;
      }
      return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }

    boolean sameAs(Endpoint other) {
      if (!scheme.equals(other.scheme) || port != other.port) {
        return false;
      }
      // localhost and 127.0.0.1 on the same port are the same server, whichever the browser used.
      return host.equals(other.host) || (LOOPBACK.contains(host) && LOOPBACK.contains(other.host));
    }
  }
}
