package dev.vapiusage.bench;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallField;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The persistence benchmark (issue 4): on a scratch schema of a PostgreSQL, stores N calls as a
 * first sync would and again unchanged, beside a plain {@code COPY} of the same rows measured in
 * the same run, then times a 31-day aggregation for a user with many calls among many more, and the
 * calls list of that range (first page, a page after 500 pages, streaming every call). Calls carry
 * cost items as Vapi sends them (an LLM item, two for a squad, a voice and a transcriber).
 *
 * <pre>
 * java -cp benchmarks/target/vapi-usage-benchmarks.jar dev.vapiusage.bench.PersistenceBenchmark \
 *     --url jdbc:postgresql://127.0.0.1:5432/test --user postgres [--password …] \
 *     [--calls 100000] [--rounds 5] [--big-user-calls 1000000] [--total-calls 5000000] [--keep]
 * </pre>
 *
 * Prints a report on standard output; the scratch schema is dropped at the end unless --keep.
 */
public final class PersistenceBenchmark {
  private static final int BATCH = 1_000;
  private static final LocalDate FIRST_DAY = LocalDate.of(2025, 1, 1);
  private static final int SPAN_DAYS = 365;
  private static final String[] TYPES = {"inboundPhoneCall", "outboundPhoneCall", "webCall"};
  private static final String[] REASONS = {
    "customer-ended-call",
    "assistant-ended-call",
    "silence-timed-out",
    "voicemail",
    "pipeline-error",
    null
  };
  private static final String[] ASSISTANTS = {
    "asst-1", "asst-2", "asst-3", "asst-4", "asst-5", "asst-6", "asst-7", null
  };

  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"};
  private static final String[] VOICES = {"burt", "sarah", "rachel", "drew"};

  private final String url;
  private final String user;
  private final String password;

  private PersistenceBenchmark(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String user = null;
    String password = null;
    int calls = 100_000;
    int rounds = 5;
    int bigUserCalls = 1_000_000;
    int totalCalls = 5_000_000;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--user" -> user = args[++i];
        case "--password" -> password = args[++i];
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--big-user-calls" -> bigUserCalls = Integer.parseInt(args[++i]);
        case "--total-calls" -> totalCalls = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--keep" -> keep = true;
        default -> {
          System.err.println("Unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      System.err.println("--url jdbc:postgresql://host:port/database is required");
      System.exit(2);
    }
    if (totalCalls < bigUserCalls) {
      System.err.println("--total-calls must be at least --big-user-calls");
      System.exit(2);
    }
    new PersistenceBenchmark(url, user, password)
        .run(calls, rounds, bigUserCalls, totalCalls, keep);
  }

  private void run(int calls, int rounds, int bigUserCalls, int totalCalls, boolean keep)
      throws Exception {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String schema = "bench_" + HexFormat.of().formatHex(random);
    try (Connection admin = DriverManager.getConnection(url, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    System.out.printf("PostgreSQL persistence benchmark, scratch schema %s%n", schema);
    try (Database database = Database.connect(schemaUrl, user, password, schema);
        Connection plain = DriverManager.getConnection(schemaUrl, user, password)) {
      System.out.printf(
          "database: %s, %d cores, JVM %s%n%n",
          database.productVersion(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      syncThroughput(database, plain, calls, rounds);
      DateRange range = aggregationLatency(database, plain, bigUserCalls, totalCalls);
      listingLatency(database, range);
    } finally {
      if (!keep) {
        try (Connection admin = DriverManager.getConnection(url, user, password);
            Statement statement = admin.createStatement()) {
          statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      } else {
        System.out.println("kept schema " + schema);
      }
    }
  }

  /**
   * Rounds of: a COPY of N rows into a table shaped and indexed like usage_call, a first sync of
   * the same N rows (new), and a re-store of them (unchanged). Each round uses new user ids so both
   * tables grow alike; the order alternates, and ratios are taken within a round, so a busy
   * neighbour on a shared machine skews a round, not the comparison. A warm-up round goes first.
   */
  private static void syncThroughput(Database database, Connection plain, int calls, int rounds)
      throws Exception {
    try (Statement statement = plain.createStatement()) {
      statement.execute("CREATE TABLE copy_scratch (LIKE usage_call INCLUDING ALL)");
    }
    UsageRepository usage = database.usage();
    System.out.printf(
        "Storing %,d calls in batches of %,d, %d rounds after a warm-up (rows/s):%n",
        calls, BATCH, rounds);
    System.out.printf(
        "  %-6s %12s %12s %12s %10s %10s%n",
        "round", "COPY", "first sync", "unchanged", "first/COPY", "unch./COPY");
    List<double[]> results = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      int size = round == 0 ? Math.min(calls, 20_000) : calls;
      UserId userId = UserId.of("bench-sync-" + round);
      List<List<CallRecord>> batches = new ArrayList<>();
      for (int from = 0, b = 0; from < size; from += BATCH, b++) {
        batches.add(generate("sync" + round, b, Math.min(BATCH, size - from), 60));
      }
      checkpoint(plain);
      double copy = 0;
      if (round % 2 == 1) {
        copy = copy(plain, "copy_scratch", userId, batches, size);
        checkpoint(plain);
      }
      long started = System.nanoTime();
      long changed = 0;
      for (List<CallRecord> batch : batches) {
        changed += usage.store(userId, batch).changed();
      }
      double first = size / seconds(started);
      check(changed == size, "first sync changed " + changed + " of " + size);
      checkpoint(plain);
      started = System.nanoTime();
      changed = 0;
      for (List<CallRecord> batch : batches) {
        changed += usage.store(userId, batch).changed();
      }
      double unchanged = size / seconds(started);
      check(changed == 0, "re-store changed " + changed);
      if (round % 2 == 0) {
        checkpoint(plain);
        copy = copy(plain, "copy_scratch", UserId.of("bench-copy-" + round), batches, size);
      }
      if (round > 0) {
        results.add(new double[] {copy, first, unchanged, first / copy, unchanged / copy});
        System.out.printf(
            "  %-6d %,12.0f %,12.0f %,12.0f %10.2f %10.2f%n",
            round, copy, first, unchanged, first / copy, unchanged / copy);
      }
    }
    double[] median = new double[5];
    for (int column = 0; column < 5; column++) {
      int c = column;
      double[] values = results.stream().mapToDouble(r -> r[c]).sorted().toArray();
      median[column] = values[values.length / 2];
    }
    System.out.printf(
        "  %-6s %,12.0f %,12.0f %,12.0f %10.2f %10.2f   (targets: >= 0.70, >= 0.90)%n%n",
        "median", median[0], median[1], median[2], median[3], median[4]);
  }

  /**
   * Starts each measured phase without a checkpoint's writes pending (needs rights; skipped
   * without).
   */
  private static void checkpoint(Connection plain) {
    try (Statement statement = plain.createStatement()) {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      // Not a superuser or pg_checkpoint member: measure without it.
    }
  }

  private static double copy(
      Connection plain, String table, UserId userId, List<List<CallRecord>> batches, int calls)
      throws SQLException {
    long started = System.nanoTime();
    CopyIn copy =
        plain.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
    try {
      ByteArrayOutputStream text = new ByteArrayOutputStream(1 << 20);
      for (List<CallRecord> batch : batches) {
        text.reset();
        for (CallRecord call : batch) {
          text.writeBytes(copyLine(userId, call).getBytes(StandardCharsets.UTF_8));
        }
        copy.writeToCopy(text.toByteArray(), 0, text.size());
      }
      check(copy.endCopy() == calls, "COPY row count");
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    return calls / seconds(started);
  }

  private static DateRange aggregationLatency(
      Database database, Connection plain, int bigUserCalls, int totalCalls) throws Exception {
    UsageRepository usage = database.usage();
    UserId big = UserId.of("bench-big");
    int others = Math.max(1, (totalCalls - bigUserCalls + 99_999) / 100_000);
    System.out.printf(
        "Loading %,d calls over %d days: user %s with %,d, and %d other users%n",
        totalCalls, SPAN_DAYS, big, bigUserCalls, others);
    long started = System.nanoTime();
    load(usage, big, "big", bigUserCalls);
    int rest = totalCalls - bigUserCalls;
    for (int u = 0; u < others && rest > 0; u++) {
      int share = Math.min(rest, (totalCalls - bigUserCalls + others - 1) / others);
      load(usage, UserId.of("bench-other-" + u), "other" + u, share);
      rest -= share;
    }
    double loadSeconds = seconds(started);
    System.out.printf(
        "  loaded through the repository in %.0f s (%,.0f rows/s)%n",
        loadSeconds, totalCalls / loadSeconds);
    try (Statement statement = plain.createStatement()) {
      statement.execute("VACUUM ANALYZE usage_call");
      statement.execute("VACUUM ANALYZE usage_cost_item");
    }

    DateRange range =
        new DateRange(
            FIRST_DAY.plusDays(150), FIRST_DAY.plusDays(180), ZoneId.of("America/New_York"));
    started = System.nanoTime();
    UsageMetrics first = usage.aggregate(big, range);
    double firstMillis = seconds(started) * 1000;
    List<Double> warm = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long t = System.nanoTime();
      UsageMetrics again = usage.aggregate(big, range);
      warm.add(seconds(t) * 1000);
      check(again.equals(first), "warm aggregation differs");
    }
    double baseline = baselineGroupBy(plain, big, range);
    double[] sorted = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "31-day aggregation (%s to %s, %s) of %s: %,d calls, cost %s%n",
        range.start(),
        range.end(),
        range.zone(),
        big,
        first.totals().calls(),
        first.totals().costShown());
    System.out.printf("  first (rebuilds the range's dirty rollups)   %8.1f ms%n", firstMillis);
    System.out.printf(
        "  warm, median of %d                           %8.1f ms   (target <= 20 ms)%n",
        sorted.length, sorted[sorted.length / 2]);
    System.out.printf(
        "  warm, best / worst                           %8.1f / %.1f ms%n",
        sorted[0], sorted[sorted.length - 1]);
    System.out.printf(
        "  for scale: one plain GROUP BY day over the calls %6.1f ms (median of 10)%n", baseline);
    System.out.printf(
        "  byModel: %d groups, cost %s%n%n",
        first.byModel().size(),
        first.byModel().stream()
            .map(m -> m.figures().cost())
            .reduce(BigDecimal.ZERO, BigDecimal::add)
            .toPlainString());
    return range;
  }

  /**
   * The calls list of the same 31-day range: the first page, and a page after 500 pages (keyset
   * positions), 50 calls each; then every call of the user streamed, with the heap's peak.
   */
  private static void listingLatency(Database database, DateRange range) {
    CallHistory history = database.callHistory();
    UserId big = UserId.of("bench-big");
    CallQuery query = new CallQuery(range, List.of());
    int limit = 50;
    long started = System.nanoTime();
    List<CallRecord> firstPage = history.page(big, query, Optional.empty(), limit);
    double coldMillis = seconds(started) * 1000;
    double[] first = timed(30, () -> history.page(big, query, Optional.empty(), limit));
    Optional<CallPosition> after = Optional.empty();
    started = System.nanoTime();
    for (int page = 0; page < 500; page++) {
      List<CallRecord> calls = history.page(big, query, after, limit);
      check(calls.size() == limit, "the range holds fewer than 501 pages");
      CallRecord last = calls.get(calls.size() - 1);
      after = Optional.of(new CallPosition(last.createdAt(), last.id()));
    }
    double walkSeconds = seconds(started);
    Optional<CallPosition> deep = after;
    double[] deepPage = timed(30, () -> history.page(big, query, deep, limit));
    CallQuery filtered =
        new CallQuery(range, List.of(new CallFilter(CallField.ASSISTANT_ID, "asst-3")));
    double[] filteredPage = timed(30, () -> history.page(big, filtered, Optional.empty(), limit));
    System.out.printf(
        "Calls list of the same range, %d calls a page (first call %s):%n",
        limit, firstPage.get(0).createdAt());
    System.out.printf("  first page, cold                             %8.1f ms%n", coldMillis);
    System.out.printf(
        "  first page, warm median of %d                %8.1f ms   (target <= 20 ms)%n",
        first.length, first[first.length / 2]);
    System.out.printf(
        "  page after 500 pages, warm median of %d      %8.1f ms   (target <= 20 ms)%n",
        deepPage.length, deepPage[deepPage.length / 2]);
    System.out.printf(
        "  first page filtered by assistant, median     %8.1f ms%n",
        filteredPage[filteredPage.length / 2]);
    System.out.printf(
        "  walking the 500 pages                        %8.1f ms a page%n",
        walkSeconds * 1000 / 500);
    double[] stuck =
        timed(10, () -> history.countStuck(big, range, range.endExclusive().minusSeconds(86_400)));
    System.out.printf(
        "  countStuck of the range, median              %8.1f ms%n", stuck[stuck.length / 2]);

    DateRange year = new DateRange(FIRST_DAY, FIRST_DAY.plusDays(SPAN_DAYS - 1), ZoneId.of("UTC"));
    long[] count = new long[1];
    long[] peak = new long[1];
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long baseline = runtime.totalMemory() - runtime.freeMemory();
    started = System.nanoTime();
    history.forEach(
        big,
        new CallQuery(year, List.of()),
        call -> {
          if (++count[0] % 10_000 == 0) {
            peak[0] = Math.max(peak[0], runtime.totalMemory() - runtime.freeMemory());
          }
        });
    double streamSeconds = seconds(started);
    System.out.printf(
        "  forEach over all %,d calls of the user: %.1f s (%,.0f calls/s), heap %d MB before,"
            + " peak %d MB (max %d MB)%n%n",
        count[0],
        streamSeconds,
        count[0] / streamSeconds,
        baseline >> 20,
        peak[0] >> 20,
        runtime.maxMemory() >> 20);
  }

  private static double[] timed(int times, Runnable work) {
    double[] millis = new double[times];
    for (int i = 0; i < times; i++) {
      long t = System.nanoTime();
      work.run();
      millis[i] = seconds(t) * 1000;
    }
    Arrays.sort(millis);
    return millis;
  }

  /** The per-day GROUP BY straight over the calls that the rollups replace, for comparison. */
  private static double baselineGroupBy(Connection plain, UserId user, DateRange range)
      throws SQLException {
    String sql =
        "SELECT date_trunc('day', created_at AT TIME ZONE 'America/New_York') AS d, count(*), sum(duration_us), sum(cost)"
            + " FROM usage_call WHERE user_id = ? AND created_at >= ? AND created_at < ? GROUP BY d";
    double[] times = new double[10];
    for (int i = 0; i < times.length; i++) {
      long t = System.nanoTime();
      try (var statement = plain.prepareStatement(sql)) {
        statement.setString(1, user.value());
        statement.setObject(2, range.startInstant().atOffset(ZoneOffset.UTC));
        statement.setObject(3, range.endExclusive().atOffset(ZoneOffset.UTC));
        try (var rs = statement.executeQuery()) {
          while (rs.next()) {
            rs.getBigDecimal(4);
          }
        }
      }
      times[i] = seconds(t) * 1000;
    }
    Arrays.sort(times);
    return times[times.length / 2];
  }

  private static void load(UsageRepository usage, UserId userId, String prefix, int calls) {
    for (int from = 0, b = 0; from < calls; from += BATCH, b++) {
      usage.store(userId, generate(prefix, b, Math.min(BATCH, calls - from), SPAN_DAYS));
    }
  }

  /** Batch {@code b} of a deterministic stream of calls spread over {@code days} days. */
  static List<CallRecord> generate(String prefix, int b, int size, int days) {
    SplittableRandom random = new SplittableRandom(prefix.hashCode() * 1_000_003L + b);
    Instant first = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<CallRecord> calls = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Instant created =
          first.plus(random.nextLong((long) days * 86_400_000_000L), ChronoUnit.MICROS);
      Instant started = created.plusMillis(random.nextInt(5_000));
      Instant ended = started.plusMillis(random.nextInt(1_200_000));
      BigDecimal cost = amount(random, 3);
      List<CostItem> items = new ArrayList<>(5);
      items.add(
          new CostItem(
              "transport", amount(random, 0), "twilio", null, null, null, null, null, null));
      int llms = random.nextInt(5) == 0 ? 2 : 1;
      String model = MODELS[random.nextInt(MODELS.length)];
      for (int m = 0; m < llms; m++) {
        items.add(
            new CostItem(
                CostItem.MODEL,
                amount(random, 0),
                model.startsWith("claude") ? "anthropic" : "openai",
                model,
                null,
                null,
                null,
                (long) random.nextInt(50_000),
                (long) random.nextInt(5_000)));
      }
      items.add(
          new CostItem(
              CostItem.VOICE,
              amount(random, 0),
              "11labs",
              null,
              VOICES[random.nextInt(VOICES.length)],
              null,
              (long) random.nextInt(5_000),
              null,
              null));
      items.add(
          new CostItem(
              CostItem.TRANSCRIBER,
              amount(random, 0),
              "deepgram",
              "nova-2",
              null,
              BigDecimal.valueOf(random.nextInt(200_000), 4),
              null,
              null,
              null));
      calls.add(
          new CallRecord(
              prefix + "-" + b + "-" + i + "-" + Long.toHexString(random.nextLong()),
              "org-bench",
              created,
              ended.plusSeconds(5),
              started,
              ended,
              TYPES[random.nextInt(TYPES.length)],
              "ended",
              REASONS[random.nextInt(REASONS.length)],
              ASSISTANTS[random.nextInt(ASSISTANTS.length)],
              cost,
              new CostComponents(
                  amount(random, 1),
                  amount(random, 1),
                  amount(random, 1),
                  amount(random, 1),
                  amount(random, 1),
                  amount(random, 0)),
              items));
    }
    return calls;
  }

  private static BigDecimal amount(SplittableRandom random, int integerDigits) {
    long scaled = random.nextLong((long) Math.pow(10, integerDigits) * 10_000_000_000L);
    return BigDecimal.valueOf(scaled, 10);
  }

  /** One row of COPY's text format, in usage_call's column order. */
  private static String copyLine(UserId userId, CallRecord call) {
    StringBuilder line = new StringBuilder(256);
    field(line, userId.value());
    field(line, call.id());
    field(line, call.orgId());
    field(line, text(call.createdAt()));
    field(line, text(call.updatedAt()));
    field(line, text(call.startedAt()));
    field(line, text(call.endedAt()));
    field(
        line,
        call.durationMicros().isPresent()
            ? Long.toString(call.durationMicros().getAsLong())
            : null);
    field(line, call.type());
    field(line, call.status());
    field(line, call.endedReason());
    field(line, call.assistantId());
    field(line, call.cost() == null ? null : call.cost().toPlainString());
    CostComponents c = call.costs();
    for (BigDecimal amount :
        new BigDecimal[] {c.transport(), c.stt(), c.llm(), c.tts(), c.vapi(), c.analysis()}) {
      field(line, amount.toPlainString());
    }
    // The items' digest column: as many bytes as the adapter writes (the items go elsewhere).
    field(line, call.costItems().isEmpty() ? null : "00112233445566778899aabbccddeeff");
    line.setCharAt(line.length() - 1, '\n');
    return line.toString();
  }

  private static void field(StringBuilder line, String value) {
    if (value == null) {
      line.append("\\N");
    } else {
      for (int i = 0; i < value.length(); i++) {
        char ch = value.charAt(i);
        switch (ch) {
          case '\\' -> line.append("\\\\");
          case '\t' -> line.append("\\t");
          case '\n' -> line.append("\\n");
          case '\r' -> line.append("\\r");
          default -> line.append(ch);
        }
      }
    }
    line.append('\t');
  }

  /**
   * {@code YYYY-MM-DD HH:MM:SS.ffffff+00}, formatted by hand as the adapter's own COPY does, so the
   * baseline is not held back by java.time's formatters.
   */
  private static String text(Instant instant) {
    if (instant == null) {
      return null;
    }
    long seconds = instant.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    char[] out = "0000-00-00 00:00:00.000000+00".toCharArray();
    digits(out, 0, date.getYear(), 4);
    digits(out, 5, date.getMonthValue(), 2);
    digits(out, 8, date.getDayOfMonth(), 2);
    digits(out, 11, secondOfDay / 3600, 2);
    digits(out, 14, secondOfDay / 60 % 60, 2);
    digits(out, 17, secondOfDay % 60, 2);
    digits(out, 20, instant.getNano() / 1000, 6);
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      out[at + i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("Benchmark check failed: " + what);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "PersistenceBenchmark[%s]", url.replaceAll("password=[^&]*", "password=…"));
  }
}
