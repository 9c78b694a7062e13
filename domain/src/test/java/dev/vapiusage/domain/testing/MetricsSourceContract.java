package dev.vapiusage.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetricsSource} does; subclasses supply a source holding the calls they are told
 * to add and accepting one key.
 */
public abstract class MetricsSourceContract {
  private static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2025-03-02T00:00:00Z");
  private static final Duration MS = Duration.ofMillis(1);

  /** The source under test; it accepts {@link #acceptedKey()} and no other. */
  protected abstract MetricsSource source();

  protected abstract ApiKey acceptedKey();

  /** Adds an ended call to the source's account; returns its id. */
  protected abstract String addCall(Instant createdAt, Instant updatedAt);

  /**
   * Adds an ended call with cost items (of several types, with their providers, models and counts)
   * to the source's account; returns it as a correct source delivers it.
   */
  protected abstract CallRecord addCostedCall(Instant createdAt);

  private String addCall(Instant createdAt) {
    return addCall(createdAt, createdAt.plusSeconds(40));
  }

  @Test
  void verify_acceptsTheAccountsKey() {
    source().verify(acceptedKey());
  }

  @Test
  void verify_rejectsAnotherKeyAsInvalid() {
    assertThatThrownBy(() -> source().verify(ApiKey.of("sk-not-this-account-0123456789")))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
  }

  @Test
  void stream_withAnotherKey_isRejectedAsInvalid() {
    addCall(FROM.plusSeconds(60));

    assertThatThrownBy(
            () ->
                source().stream(
                    ApiKey.of("sk-not-this-account-0123456789"),
                    CallWindow.created(FROM, TO),
                    b -> {}))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
  }

  @Test
  void stream_deliversEveryCallCreatedInTheWindowExactlyOnce_andNoneOutside() {
    Set<String> inside = new HashSet<>();
    inside.add(addCall(FROM));
    for (int i = 1; i <= 40; i++) {
      inside.add(addCall(FROM.plus(Duration.ofMinutes(35L * i))));
    }
    inside.add(addCall(TO.minus(MS)));
    addCall(FROM.minus(MS));
    addCall(TO);
    addCall(TO.plus(Duration.ofHours(3)));

    List<String> delivered = streamIds(CallWindow.created(FROM, TO));

    assertThat(delivered).doesNotHaveDuplicates();
    assertThat(new HashSet<>(delivered)).isEqualTo(inside);
  }

  @Test
  void stream_byUpdate_deliversCallsChangedInTheWindow_whenEverTheyWereCreated() {
    Set<String> inside = new HashSet<>();
    inside.add(addCall(FROM.minus(Duration.ofDays(20)), FROM));
    inside.add(addCall(FROM.minus(Duration.ofDays(2)), FROM.plus(Duration.ofHours(5))));
    inside.add(addCall(FROM.plusSeconds(1), TO.minus(MS)));
    addCall(FROM.minus(Duration.ofDays(3)), FROM.minus(MS));
    addCall(FROM.plusSeconds(2), TO);

    List<String> delivered = streamIds(CallWindow.updated(FROM, TO));

    assertThat(delivered).doesNotHaveDuplicates();
    assertThat(new HashSet<>(delivered)).isEqualTo(inside);
  }

  @Test
  void stream_deliversEachCallWithItsCostItems() {
    CallRecord first = addCostedCall(FROM.plusSeconds(10));
    CallRecord second = addCostedCall(FROM.plusSeconds(20));
    assertThat(first.costItems()).as("the subclass adds calls with cost items").isNotEmpty();

    List<CallRecord> delivered = Collections.synchronizedList(new ArrayList<>());
    source().stream(acceptedKey(), CallWindow.created(FROM, TO), delivered::addAll);

    assertThat(delivered).containsExactlyInAnyOrder(first, second);
    assertThat(delivered)
        .allSatisfy(
            call ->
                assertThat(
                        call.costItems().stream()
                            .map(CostItem::cost)
                            .reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(call.cost()));
  }

  @Test
  void stream_ofAWindowWithoutCalls_deliversNothing() {
    addCall(FROM.minus(Duration.ofHours(1)));
    addCall(TO.plus(Duration.ofHours(1)));

    assertThat(streamIds(CallWindow.created(FROM, TO))).isEmpty();
  }

  @Test
  void stream_ofAnEmptyAccount_deliversNothing() {
    assertThat(streamIds(CallWindow.created(FROM, TO))).isEmpty();
  }

  private List<String> streamIds(CallWindow window) {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    source().stream(
        acceptedKey(),
        window,
        batch -> {
          for (CallRecord call : batch) {
            ids.add(call.id());
          }
        });
    return ids;
  }
}
