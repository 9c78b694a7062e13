package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallQuery;
import java.util.Objects;
import java.util.Optional;

/** A user's request for a page of calls: the query, the page size and where to continue. */
public record ListCallsQuery(UserId userId, CallQuery query, int limit, Optional<String> cursor) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public ListCallsQuery {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new UsageException(
          ErrorCode.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
  }
}
