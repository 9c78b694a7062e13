package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UserId;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * How a host application that embeds the routes tells who is signed in: it answers the user of a
 * request, or empty when nobody is (the routes then answer {@code 401 unauthorized}). Called on
 * request threads, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface CurrentUser {

  Optional<UserId> resolve(Context ctx);
}
