package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A call's stored column values, as the database keeps them (instants to the microsecond), so a
 * stored row and an incoming call compare the way SQL's {@code IS DISTINCT FROM} would: amounts by
 * value (1.0 equals 1.00), everything else exactly. The cost items compare by their digest; {@code
 * items} are the incoming call's (a row read back carries none).
 */
record StoredCall(
    String callId,
    String orgId,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant endedAt,
    Long durationMicros,
    String type,
    String status,
    String endedReason,
    String assistantId,
    BigDecimal cost,
    BigDecimal transport,
    BigDecimal stt,
    BigDecimal llm,
    BigDecimal tts,
    BigDecimal vapi,
    BigDecimal analysis,
    String itemsDigest,
    List<CostItem> items) {

  /** The columns in the order of this record, as a SELECT list. */
  static final String COLUMNS = String.join(", ", StoredCalls.COLUMNS);

  static StoredCall of(CallRecord call) {
    return new StoredCall(
        call.id(),
        call.orgId(),
        micros(call.createdAt()),
        micros(call.updatedAt()),
        micros(call.startedAt()),
        micros(call.endedAt()),
        StoredCalls.durationMicros(call),
        call.type(),
        call.status(),
        call.endedReason(),
        call.assistantId(),
        call.cost(),
        call.costs().transport(),
        call.costs().stt(),
        call.costs().llm(),
        call.costs().tts(),
        call.costs().vapi(),
        call.costs().analysis(),
        CostItemRows.digest(call.costItems()),
        call.costItems());
  }

  static StoredCall read(ResultSet rs) throws SQLException {
    long duration = rs.getLong("duration_us");
    // wasNull() speaks of the last column read, so it is asked before any other column.
    Long durationMicros = rs.wasNull() ? null : duration;
    return new StoredCall(
        rs.getString("call_id"),
        rs.getString("org_id"),
        Instants.read(rs, "created_at"),
        Instants.read(rs, "updated_at"),
        Instants.read(rs, "started_at"),
        Instants.read(rs, "ended_at"),
        durationMicros,
        rs.getString("call_type"),
        rs.getString("status"),
        rs.getString("ended_reason"),
        rs.getString("assistant_id"),
        rs.getBigDecimal("cost"),
        rs.getBigDecimal("cost_transport"),
        rs.getBigDecimal("cost_stt"),
        rs.getBigDecimal("cost_llm"),
        rs.getBigDecimal("cost_tts"),
        rs.getBigDecimal("cost_vapi"),
        rs.getBigDecimal("cost_analysis"),
        rs.getString("cost_items_digest"),
        List.of());
  }

  /** The call as stored, with the given cost items. */
  CallRecord toDomain(List<CostItem> costItems) {
    return new CallRecord(
        callId,
        orgId,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        type,
        status,
        endedReason,
        assistantId,
        cost,
        new CostComponents(transport, stt, llm, tts, vapi, analysis),
        costItems);
  }

  /** Whether storing {@code other} over this row would change nothing. */
  boolean sameValuesAs(StoredCall other) {
    return Objects.equals(orgId, other.orgId)
        && Objects.equals(createdAt, other.createdAt)
        && Objects.equals(updatedAt, other.updatedAt)
        && Objects.equals(startedAt, other.startedAt)
        && Objects.equals(endedAt, other.endedAt)
        && Objects.equals(durationMicros, other.durationMicros)
        && Objects.equals(type, other.type)
        && Objects.equals(status, other.status)
        && Objects.equals(endedReason, other.endedReason)
        && Objects.equals(assistantId, other.assistantId)
        && sameAmount(cost, other.cost)
        && sameAmount(transport, other.transport)
        && sameAmount(stt, other.stt)
        && sameAmount(llm, other.llm)
        && sameAmount(tts, other.tts)
        && sameAmount(vapi, other.vapi)
        && sameAmount(analysis, other.analysis)
        && Objects.equals(itemsDigest, other.itemsDigest);
  }

  private static boolean sameAmount(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  private static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
