package dev.vapiusage.adapter.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Hides {@code X-HTTP-Method-Override} from Javalin, which would otherwise route a request by it: a
 * {@code GET} a page may send cross-site with that header would run as a {@code DELETE}. Only the
 * request's real method counts.
 */
final class MethodOverrideFilter implements Filter {
  static final String HEADER = "X-HTTP-Method-Override";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest
        && ((HttpServletRequest) request).getHeader(HEADER) != null) {
      chain.doFilter(new WithoutOverride((HttpServletRequest) request), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private static final class WithoutOverride extends HttpServletRequestWrapper {
    WithoutOverride(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HEADER.equalsIgnoreCase(name)
          ? Collections.emptyEnumeration()
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(
          Collections.list(super.getHeaderNames()).stream()
              .filter(n -> !HEADER.equalsIgnoreCase(n))
              .toList());
    }
  }
}
