package dev.vapiusage.domain;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One of Vapi's cost items of a call ({@code costs[]}), flattened: {@code provider}, {@code model}
 * and {@code voiceId} come from the item's own fields or from its {@code model}, {@code voice} or
 * {@code transcriber} object. Every field but {@code type} and {@code cost} is null where Vapi did
 * not send it; an unknown {@code type} is kept as it came.
 */
public record CostItem(
    String type,
    BigDecimal cost,
    String provider,
    String model,
    String voiceId,
    BigDecimal minutes,
    Long characters,
    Long promptTokens,
    Long completionTokens) {

  /** The item types whose cost {@code byModel} breaks down, by component. */
  public static final String MODEL = "model";

  public static final String VOICE = "voice";
  public static final String TRANSCRIBER = "transcriber";

  public CostItem {
    Objects.requireNonNull(type, "type");
    cost = Money.normalize(cost);
    minutes = minutes == null ? null : Money.normalize(minutes);
  }

  /**
   * The {@code byModel} group this item counts in: for a {@code voice} item the model is the
   * voice's model or else its voice id. Empty for items of other types.
   */
  public Optional<ModelKey> modelKey() {
    return switch (type) {
      case MODEL, TRANSCRIBER -> Optional.of(new ModelKey(type, provider, model));
      case VOICE -> Optional.of(new ModelKey(type, provider, model != null ? model : voiceId));
      default -> Optional.empty();
    };
  }

  /**
   * A {@code byModel} group: the cost item's type as component, and its provider and model (each
   * null when Vapi did not name it).
   */
  public record ModelKey(String component, String provider, String model) {
    public ModelKey {
      Objects.requireNonNull(component, "component");
    }
  }
}
