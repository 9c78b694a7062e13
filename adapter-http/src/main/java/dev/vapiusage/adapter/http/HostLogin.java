package dev.vapiusage.adapter.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Embedded login: the host application signs users in at {@code path}, a path of its own that the
 * routes' prefix does not apply to, and names them through {@link CurrentUser}.
 */
record HostLogin(String path) implements LoginMode {

  HostLogin {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String loginPath(String base) {
    return path;
  }

  @Override
  public Optional<OwnLoginPage> ownLoginPage() {
    return Optional.empty();
  }
}
