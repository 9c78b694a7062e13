package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import java.util.Objects;

/** A user's request to connect (or replace) its Vapi key. */
public record ConnectCommand(UserId userId, ApiKey apiKey) {
  public ConnectCommand {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(apiKey, "apiKey");
  }
}
