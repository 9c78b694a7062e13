package dev.vapiusage.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The listing benchmark command: starts a {@link VapiSimulator} with N generated calls, lists them
 * all through a {@link VapiClient} and prints calls/s and peak heap, beside Jackson's own parse
 * rates over the same response bodies measured in the same run.
 *
 * <p>Run: {@code java -Xmx256m -cp benchmarks/target/vapi-usage-benchmarks.jar
 * dev.vapiusage.bench.ListingBenchmark [calls=1000000] [days=90] [runs=3]}.
 */
public final class ListingBenchmark {
  private static final String KEY = "bench-key";
  private static final int SAMPLE_PAGES = 12;
  private static final Duration MEASURE = Duration.ofSeconds(3);

  private ListingBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchSupport.ownJvm(false);
    int calls = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 90;
    int runs = args.length > 2 ? Math.max(1, Integer.parseInt(args[2])) : 3;
    // Ends a day ago so no call is "recent": the client then remembers no ids at all.
    Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    Instant from = to.minus(Duration.ofDays(days));
    SimulatorData data = SimulatorData.generated(42, calls, from, to);
    ApiKey key = ApiKey.of(KEY);
    HeapSampler heap = new HeapSampler();
    heap.start();
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      VapiClient client = new VapiClient(VapiClientConfig.forBaseUri(simulator.baseUri()));
      System.out.printf(
          Locale.ROOT,
          "Listing %,d calls over %d days (JVM max heap %d MiB, %d CPUs)%n",
          calls,
          days,
          Runtime.getRuntime().maxMemory() >> 20,
          Runtime.getRuntime().availableProcessors());

      // The truth, from the simulator's own data, without holding it: count, id fingerprint, cost.
      long[] truth = new long[2];
      BigDecimal[] truthCost = {BigDecimal.ZERO};
      data.forEachCall(
          CallWindow.created(from, to),
          call -> {
            truth[0]++;
            truth[1] += Counter.hash(call.id());
            truthCost[0] = truthCost[0].add(call.cost() == null ? BigDecimal.ZERO : call.cost());
          });

      // Warm-up on a third of the window, so the JIT has compiled the hot paths of both sides.
      Counter warmup = new Counter();
      client.stream(
          key,
          CallWindow.created(from, from.plus(Duration.ofDays(Math.max(1, days / 3)))),
          warmup::accept);

      double[] rates = new double[runs];
      boolean exact = true;
      long requests = 0;
      for (int run = 0; run < runs; run++) {
        simulator.clearRequests();
        System.gc();
        heap.reset();
        Counter counter = new Counter();
        long start = System.nanoTime();
        client.stream(key, CallWindow.created(from, to), counter::accept);
        double seconds = (System.nanoTime() - start) / 1e9;
        requests = simulator.requestCount();
        rates[run] = counter.calls.get() / seconds;
        boolean once =
            counter.calls.get() == truth[0]
                && counter.fingerprint == truth[1]
                && counter.cost.compareTo(truthCost[0]) == 0;
        exact &= once;
        System.out.printf(
            Locale.ROOT,
            "client listing : run %d: %,d calls in %.2f s = %,.0f calls/s, %d requests (%.0f calls/request), %d batches, exactly once: %s, peak heap %.1f MiB (sampled) / %.1f MiB (pool peaks)%n",
            run + 1,
            counter.calls.get(),
            seconds,
            rates[run],
            requests,
            (double) counter.calls.get() / requests,
            counter.batches.get(),
            once ? "yes" : "NO",
            heap.peakSampled() / 1048576.0,
            heap.peakPools() / 1048576.0);
      }
      double[] sorted = rates.clone();
      Arrays.sort(sorted);
      double median = sorted[runs / 2];
      System.out.printf(
          Locale.ROOT,
          "client listing : median %,.0f calls/s over %d runs (truth %,d calls, %s USD)%n",
          median,
          runs,
          truth[0],
          truthCost[0]);

      List<byte[]> pages = samplePages(simulator, simulator.requests());
      long bytes = pages.stream().mapToLong(p -> p.length).sum();
      JsonFactory factory = new JsonFactory();
      long sampleCalls = countCalls(factory, pages);
      double bytesPerCall = (double) bytes / sampleCalls;
      System.out.printf(
          Locale.ROOT,
          "payload        : %d sampled pages, %,d calls, %.0f bytes/call, the median listing moved %.1f MB/s%n",
          pages.size(),
          sampleCalls,
          bytesPerCall,
          median * bytesPerCall / 1e6);

      ObjectMapper mapper = new ObjectMapper();
      report("jackson tokens ", pages, sampleCalls, bytes, page -> tokens(factory, page));
      report("jackson tree   ", pages, sampleCalls, bytes, page -> mapper.readTree(page).size());
      if (!exact) {
        System.exit(1);
      }
    } finally {
      heap.interrupt();
    }
  }

  /** Re-fetches some of the listing's own 200 responses as raw bytes: the same payload. */
  private static List<byte[]> samplePages(VapiSimulator simulator, List<RecordedRequest> requests)
      throws IOException, InterruptedException {
    List<RecordedRequest> listings =
        requests.stream()
            .filter(r -> r.status() == 200 && r.path().equals("/call"))
            .collect(Collectors.toList());
    HttpClient http = HttpClient.newHttpClient();
    List<byte[]> pages = new ArrayList<>();
    int stride = Math.max(1, listings.size() / SAMPLE_PAGES);
    for (int i = 0; i < listings.size() && pages.size() < SAMPLE_PAGES; i += stride) {
      String query =
          listings.get(i).query().entrySet().stream()
              .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/call?" + query))
              .header("Authorization", "Bearer " + KEY)
              .build();
      pages.add(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    }
    return pages;
  }

  private interface PageParser {
    int parse(byte[] page) throws IOException;
  }

  private static void report(
      String name, List<byte[]> pages, long calls, long bytes, PageParser parser)
      throws IOException {
    for (int i = 0; i < 3; i++) {
      for (byte[] page : pages) {
        parser.parse(page);
      }
    }
    long rounds = 0;
    long start = System.nanoTime();
    long end = start + MEASURE.toNanos();
    while (System.nanoTime() < end) {
      for (byte[] page : pages) {
        parser.parse(page);
      }
      rounds++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %,.0f calls/s, %.0f MB/s (in memory, one thread)%n",
        name,
        rounds * calls / seconds,
        rounds * bytes / seconds / 1e6);
  }

  private static int tokens(JsonFactory factory, byte[] page) throws IOException {
    int objects = 0;
    try (JsonParser parser = factory.createParser(page)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          objects++;
        }
      }
    }
    return objects;
  }

  /** Top-level objects of each array: the calls. */
  private static long countCalls(JsonFactory factory, List<byte[]> pages) throws IOException {
    long total = 0;
    for (byte[] page : pages) {
      try (JsonParser parser = factory.createParser(page)) {
        parser.nextToken();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          parser.skipChildren();
          total++;
        }
      }
    }
    return total;
  }

  /**
   * Counts the calls and folds their ids into an order-free fingerprint, which checks exactly-once
   * delivery against the simulator's truth without holding a million ids in the heap being
   * measured.
   */
  private static final class Counter {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    long fingerprint;
    BigDecimal cost = BigDecimal.ZERO;

    void accept(List<CallRecord> batch) {
      batches.incrementAndGet();
      calls.addAndGet(batch.size());
      for (CallRecord call : batch) {
        cost = cost.add(call.costOrZero());
        fingerprint += hash(call.id());
      }
    }

    static long hash(String id) {
      long h = 0xCBF29CE484222325L;
      for (int i = 0; i < id.length(); i++) {
        h = (h ^ id.charAt(i)) * 0x100000001B3L;
      }
      h ^= h >>> 33;
      h *= 0xFF51AFD7ED558CCDL;
      return h ^ (h >>> 33);
    }
  }

  /** Samples used heap every 5 ms and reads the heap pools' peaks. */
  private static final class HeapSampler extends Thread {
    private volatile long peak;

    HeapSampler() {
      super("heap-sampler");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (used > peak) {
          peak = used;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void reset() {
      peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
    }

    long peakSampled() {
      return peak;
    }

    long peakPools() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          sum += pool.getPeakUsage().getUsed();
        }
      }
      return sum;
    }
  }
}
