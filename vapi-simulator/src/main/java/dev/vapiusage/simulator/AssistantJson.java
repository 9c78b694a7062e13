package dev.vapiusage.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes a saved assistant the way {@code GET /assistant} does: its id, org, name (left out when it
 * has none), times, and the model, voice and transcriber its calls' cost items name.
 */
final class AssistantJson {
  private AssistantJson() {}

  static void write(JsonGenerator g, SimulatedAssistant assistant, String orgId)
      throws IOException {
    String at = IsoMillis.format(assistant.createdAt().toEpochMilli());
    CostItems.Profile profile = CostItems.profile(assistant.id());
    g.writeStartObject();
    g.writeStringField("id", assistant.id());
    g.writeStringField("orgId", orgId);
    if (assistant.name() != null) {
      g.writeStringField("name", assistant.name());
    }
    g.writeStringField("createdAt", at);
    g.writeStringField("updatedAt", at);
    g.writeObjectFieldStart("model");
    g.writeStringField("provider", profile.llmProvider());
    g.writeStringField("model", profile.llmModel());
    g.writeEndObject();
    g.writeObjectFieldStart("voice");
    g.writeStringField("provider", profile.voiceProvider());
    if (profile.voiceModel() != null) {
      g.writeStringField("model", profile.voiceModel());
    }
    g.writeStringField("voiceId", profile.voiceId());
    g.writeEndObject();
    g.writeObjectFieldStart("transcriber");
    g.writeStringField("provider", profile.transcriberProvider());
    if (profile.transcriberModel() != null) {
      g.writeStringField("model", profile.transcriberModel());
    }
    g.writeEndObject();
    g.writeEndObject();
  }
}
