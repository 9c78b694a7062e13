package dev.vapiusage.simulator;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Computes generated call number {@code i} from the seed and {@code i} alone, so a world of a
 * million calls costs no memory. {@code createdAt} never decreases with {@code i} (which makes a
 * time range an index range found by binary search) while its density still follows a daily cycle,
 * snaps some calls exactly onto day boundaries and puts bursts of calls into one millisecond. Only
 * {@link StrictMath} is used, because {@code Math}'s intrinsics may round differently once
 * JIT-compiled and a call must never change between two requests.
 */
final class CallGenerator {
  /** An upper bound of {@code updatedAt - createdAt} for every generated call. */
  static final long MAX_LAG_MILLIS = 3_600_000L;

  private static final long DAY = 86_400_000L;
  private static final int BURST_EVERY = 5_000;
  private static final int BURST_SIZE = 25;
  private static final double AMPLITUDE = 0.6;
  private static final long PEAK_TIME_OF_DAY = 15 * 3_600_000L;
  private static final double LN_TWO_MINUTES = StrictMath.log(120_000);
  private static final long MAX_DURATION = 45 * 60_000L;

  private static final String[] TYPES = {
    "inboundPhoneCall", "outboundPhoneCall", "webCall", "vapi.websocketCall"
  };
  private static final int[] TYPE_WEIGHTS = {45, 35, 18, 2};
  private static final String[] ENDED_REASONS = {
    "customer-ended-call",
    "assistant-ended-call",
    "silence-timed-out",
    "voicemail",
    "assistant-forwarded-call",
    "exceeded-max-duration",
    "assistant-said-end-call-phrase",
    "manually-canceled",
    "phone-call-provider-closed-websocket",
    "pipeline-error-openai-llm-failed",
    "call.in-progress.error-vapifault-transport-never-connected"
  };
  private static final int[] ENDED_REASON_WEIGHTS = {45, 22, 8, 6, 5, 3, 5, 2, 2, 1, 1};
  private static final String[] UNANSWERED_REASONS = {
    "customer-did-not-answer", "customer-busy", "twilio-failed-to-connect-call"
  };
  private static final int[] UNANSWERED_WEIGHTS = {60, 30, 10};

  final long seed;
  final int count;
  final long from;
  final long to;
  final String orgId;
  private final String[] assistants;
  private final String[] phoneNumbers;
  private final double omega;
  private final double phase;

  /** Calls this close to a midnight move onto it (or onto 23:59:59.999): three calls' spacing. */
  private final long snap;

  CallGenerator(
      long seed,
      int count,
      long from,
      long to,
      String orgId,
      List<String> assistants,
      List<String> phoneNumbers) {
    if (count < 0 || from >= to) {
      throw new IllegalArgumentException("a generated world has calls >= 0 and from < to");
    }
    this.seed = seed;
    this.count = count;
    this.from = from;
    this.to = to;
    this.orgId = orgId;
    this.assistants = assistants.toArray(new String[0]);
    this.phoneNumbers = phoneNumbers.toArray(new String[0]);
    double days = (double) (to - from) / DAY;
    this.omega = 2 * StrictMath.PI * days;
    long peakOffset = Math.floorMod(PEAK_TIME_OF_DAY - Math.floorMod(from, DAY), DAY);
    this.phase = 2 * StrictMath.PI * peakOffset / DAY;
    this.snap = Math.max(1_500L, count == 0 ? 0 : 3 * (to - from) / count);
  }

  long createdAt(int index) {
    int head = index % BURST_EVERY < BURST_SIZE ? index - index % BURST_EVERY : index;
    // u < 0.9 keeps neighbouring heads apart, so rounding can never reorder them.
    double u = head == 0 ? 0 : 0.9 * unit(mix(seed ^ 0x632BE59BD9B4E019L, head));
    double x = (head + u) / count;
    double g = x - AMPLITUDE * (StrictMath.sin(omega * x - phase) + StrictMath.sin(phase)) / omega;
    long t = from + (long) StrictMath.floor(g * (to - from));
    t = Math.max(from, Math.min(to - 1, t));
    long ofDay = Math.floorMod(t, DAY);
    if (ofDay < snap) {
      t = Math.max(from, t - ofDay);
    } else if (ofDay >= DAY - snap) {
      t = Math.min(to - 1, t - ofDay + DAY - 1);
    }
    return t;
  }

  /**
   * The first index whose {@code createdAt} is at or after {@code millis}; {@code count} if none.
   */
  int firstAtOrAfter(long millis) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (createdAt(mid) >= millis) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  String id(int index) {
    long h = mix(seed, index);
    return uuid(h, h >>> 52, index, '8');
  }

  /**
   * A version-4-shaped UUID text from three numbers: the first fills the first three groups, the
   * low 12 bits of {@code fourth} and {@code fifth}'s low 48 bits the rest.
   */
  static String uuid(long high, long fourth, long fifth, char variant) {
    char[] out = new char[36];
    hex(out, 0, high >>> 32, 8);
    out[8] = '-';
    hex(out, 9, high >>> 16, 4);
    out[13] = '-';
    out[14] = '4';
    hex(out, 15, high, 3);
    out[18] = '-';
    out[19] = variant;
    hex(out, 20, fourth, 3);
    out[23] = '-';
    hex(out, 24, fifth, 12);
    return new String(out);
  }

  /** The index of a generated id, or -1 when {@code id} is not one of this world's. */
  int indexOf(String id) {
    if (id.length() != 36) {
      return -1;
    }
    long index = 0;
    for (int i = 24; i < 36; i++) {
      int digit = Character.digit(id.charAt(i), 16);
      if (digit < 0) {
        return -1;
      }
      index = index * 16 + digit;
    }
    return index < count && id.equals(id((int) index)) ? (int) index : -1;
  }

  SimulatedCall call(int index) {
    long createdAt = createdAt(index);
    SplittableRandom r = new SplittableRandom(mix(seed ^ 0x1B873593L, index));
    String type = TYPES[weighted(r, TYPE_WEIGHTS)];
    boolean phone = type.endsWith("PhoneCall");
    String assistant =
        r.nextInt(100) < 5 ? null : assistants[(int) (assistants.length * square(r.nextDouble()))];
    String number = phoneNumbers[r.nextInt(phoneNumbers.length)];
    long ring = 1_000 + r.nextInt(7_000);
    boolean answered = r.nextInt(100) >= 4;
    long duration =
        Math.max(
            3_000,
            Math.min(MAX_DURATION, (long) StrictMath.exp(LN_TWO_MINUTES + 0.9 * r.nextGaussian())));
    long lag = 1_000 + r.nextInt(19_000);
    long noAnswerAfter = 15_000 + r.nextInt(25_000);
    int reason = weighted(r, ENDED_REASON_WEIGHTS);
    int unanswered = weighted(r, UNANSWERED_WEIGHTS);
    long sttRate = 9_000 + r.nextInt(2_000);
    long llmRate = 5_000 + r.nextInt(25_000);
    long ttsRate = 9_600 + r.nextInt(26_400);
    long summary = r.nextInt(100) < 70 ? 100 + r.nextInt(800) : 0;
    long evaluation = r.nextInt(100) < 50 ? 100 + r.nextInt(500) : 0;

    String id = id(index);
    String phoneNumberId = phone ? number : null;
    long startedAt = createdAt + ring;
    long endedAt = answered ? startedAt + duration : createdAt + noAnswerAfter;
    long updatedAt = endedAt + lag;
    // The last few calls are always still live at the world's end, however sparse the world.
    boolean live = index >= count - Math.max(3, count / 500);
    if (live || updatedAt >= to) {
      if (live && index % 3 == 0) {
        startedAt = to;
      }
      // Not finished as of the world's "now" (its end): as Vapi shows a live call.
      if (!answered || startedAt >= to) {
        return new SimulatedCall(
            id,
            orgId,
            type,
            "queued",
            null,
            instant(createdAt),
            instant(createdAt),
            null,
            null,
            assistant,
            phoneNumberId,
            null,
            null);
      }
      return new SimulatedCall(
          id,
          orgId,
          type,
          "in-progress",
          null,
          instant(createdAt),
          instant(startedAt),
          instant(startedAt),
          null,
          assistant,
          phoneNumberId,
          BigDecimal.ZERO,
          null);
    }
    if (!answered) {
      return new SimulatedCall(
          id,
          orgId,
          type,
          "ended",
          UNANSWERED_REASONS[unanswered],
          instant(createdAt),
          instant(updatedAt),
          null,
          instant(endedAt),
          assistant,
          phoneNumberId,
          BigDecimal.ZERO,
          SimulatedCall.Costs.NONE);
    }
    long transportRate = phone ? 8_500 : 0;
    SimulatedCall.Costs costs =
        new SimulatedCall.Costs(
            micros(duration * transportRate / 60_000),
            micros(duration * sttRate / 60_000),
            micros(duration * llmRate / 60_000),
            micros(duration * ttsRate / 60_000),
            micros(duration * 50_000 / 60_000),
            micros(summary),
            micros(evaluation));
    return new SimulatedCall(
        id,
        orgId,
        type,
        "ended",
        ENDED_REASONS[reason],
        instant(createdAt),
        instant(updatedAt),
        instant(startedAt),
        instant(endedAt),
        assistant,
        phoneNumberId,
        costs.total(),
        costs);
  }

  private static java.time.Instant instant(long millis) {
    return java.time.Instant.ofEpochMilli(millis);
  }

  private static BigDecimal micros(long value) {
    return BigDecimal.valueOf(value, 6);
  }

  private static double square(double value) {
    return value * value;
  }

  private static int weighted(SplittableRandom r, int[] weights) {
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    int pick = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** SplitMix64's finaliser over a seed and an index: the same pair always gives the same bits. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  private static void hex(char[] out, int offset, long value, int digits) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      out[i] = Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
  }
}
