package dev.vapiusage.adapter.vapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One String per distinct short value within a body: orgs, types, statuses, reasons, assistants and
 * the providers and models of cost items repeat on almost every call, and a consumer holding a
 * batch then holds each once. Not thread-safe: one per body.
 */
final class RepeatedStrings {
  private static final int SLOTS = 256;
  private static final int LONGEST = 64;
  private final String[] slots = new String[SLOTS];

  String text(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING || p.getTextLength() > LONGEST) {
      return CallParser.text(p);
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    int hash = 0;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + chars[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    String cached = slots[slot];
    if (cached != null && sameText(cached, chars, offset, length)) {
      return cached;
    }
    String value = new String(chars, offset, length);
    slots[slot] = value;
    return value;
  }

  private static boolean sameText(String text, char[] chars, int offset, int length) {
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (text.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
