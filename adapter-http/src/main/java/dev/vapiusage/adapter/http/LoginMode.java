package dev.vapiusage.adapter.http;

import java.util.Optional;

/**
 * Who signs a browser in to the pages: this server's own login page (standalone), or the host
 * application at a login page of its own (embedded).
 */
sealed interface LoginMode permits OwnLoginPage, HostLogin {

  /** Where a page sends a visitor who is not signed in, for pages under {@code base}. */
  String loginPath(String base);

  /** The parts of this server's login page, or empty when the host signs users in. */
  Optional<OwnLoginPage> ownLoginPage();
}
