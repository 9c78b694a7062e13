package dev.vapiusage.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.testing.TestData;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RefreshAssistantNamesTest {
  private final UseCaseFixture fixture = new UseCaseFixture();
  private final UserId user = TestData.anyUserId();

  private void vapiHasCallOf(String assistantId) {
    fixture.vapi.put(
        TestData.call(TestData.anyCallId(), fixture.clock.instant().minusSeconds(60))
            .status("ended")
            .assistantId(assistantId)
            .cost("0.5")
            .build());
  }

  private void sync() {
    fixture.sync.sync(SyncCommand.incremental(user));
  }

  @Test
  void theFirstSync_readsTheNames_andTheDashboardShowsThem() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");

    sync();

    assertThat(fixture.assistants.listingCount()).isEqualTo(1);
    LocalDate today = LocalDate.ofInstant(fixture.clock.instant(), ZoneOffset.UTC);
    var usage =
        fixture.dashboard.usage(
            new MetricsQuery(user, new DateRange(today, today, ZoneOffset.UTC)));
    assertThat(usage.metrics().byAssistant()).hasSize(1);
    assertThat(usage.metrics().byAssistant().get(0).name()).isEqualTo("Front desk");
  }

  @Test
  void givenEveryAssistantKnown_aSyncWithinTheHour_readsNoNames() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");
    sync();

    fixture.clock.advance(Duration.ofMinutes(59));
    vapiHasCallOf("asst-1");
    sync();

    assertThat(fixture.assistants.listingCount()).isEqualTo(1);
  }

  @Test
  void aCallNamingAnUnknownAssistant_readsTheNamesAgain_evenWithinTheHour() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");
    sync();

    fixture.clock.advance(Duration.ofMinutes(5));
    fixture.assistants.put(new Assistant("asst-2", "Billing line"));
    vapiHasCallOf("asst-2");
    sync();

    assertThat(fixture.assistants.listingCount()).isEqualTo(2);
    assertThat(fixture.names.roster(user).nameOf("asst-2")).isEqualTo("Billing line");
  }

  @Test
  void aDeletedAssistant_staysKnownWithoutAName_soItsCallsCauseNoFurtherReads() {
    fixture.connected(user);
    vapiHasCallOf("asst-deleted");
    sync();
    fixture.clock.advance(Duration.ofMinutes(5));
    sync();

    assertThat(fixture.assistants.listingCount()).isEqualTo(1);
    assertThat(fixture.names.roster(user).knows("asst-deleted")).isTrue();
    assertThat(fixture.names.roster(user).nameOf("asst-deleted")).isNull();
  }

  @Test
  void afterAnHour_theNamesAreReadAgain_andARenameShows() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");
    sync();

    fixture.assistants.put(new Assistant("asst-1", "Reception"));
    fixture.clock.advance(Duration.ofMinutes(61));
    sync();

    assertThat(fixture.assistants.listingCount()).isEqualTo(2);
    assertThat(fixture.names.roster(user).nameOf("asst-1")).isEqualTo("Reception");
  }

  @Test
  void givenVapiFailsToListAssistants_theSyncStillCompletes_andKeepsTheOldNames() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");
    sync();
    fixture.assistants.unavailable(true);
    fixture.clock.advance(Duration.ofMinutes(61));
    vapiHasCallOf("asst-1");

    SyncResult result = fixture.sync.sync(SyncCommand.incremental(user));

    assertThat(result.syncedCalls()).isPositive();
    assertThat(fixture.names.roster(user).nameOf("asst-1")).isEqualTo("Front desk");
  }

  @Test
  void liveMetrics_nameTheAssistantsFromVapi_andCountStuckCalls() {
    fixture.connected(user);
    fixture.assistants.put(new Assistant("asst-1", "Front desk"));
    vapiHasCallOf("asst-1");
    fixture.vapi.put(
        TestData.call("stuck", fixture.clock.instant().minus(Duration.ofHours(25)))
            .status("in-progress")
            .build());
    LocalDate today = LocalDate.ofInstant(fixture.clock.instant(), ZoneOffset.UTC);

    var metrics =
        fixture.liveMetrics.fetch(
            new MetricsQuery(user, new DateRange(today.minusDays(2), today, ZoneOffset.UTC)));

    assertThat(metrics.stuckCalls()).isEqualTo(1);
    assertThat(metrics.byAssistant())
        .filteredOn(g -> "asst-1".equals(g.key()))
        .singleElement()
        .satisfies(g -> assertThat(g.name()).isEqualTo("Front desk"));
  }
}
