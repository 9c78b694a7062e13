package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.port.AssistantDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vapi account's assistants in memory for use-case tests: accepts its keys, lists what it was
 * given in the order it was given, counts the listings, and can be told to be unavailable.
 * Thread-safe.
 */
public final class InMemoryAssistantDirectory implements AssistantDirectory {
  private final Set<ApiKey> acceptedKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, Assistant> assistants = new LinkedHashMap<>();
  private final AtomicInteger listings = new AtomicInteger();
  private volatile boolean unavailable;

  public InMemoryAssistantDirectory accept(ApiKey key) {
    acceptedKeys.add(key);
    return this;
  }

  public void revoke(ApiKey key) {
    acceptedKeys.remove(key);
  }

  /** Adds an assistant, or renames the one with its id in place. */
  public synchronized void put(Assistant assistant) {
    assistants.put(assistant.id(), assistant);
  }

  /** Deletes an assistant; calls that name it keep doing so. */
  public synchronized void remove(String id) {
    assistants.remove(id);
  }

  public void unavailable(boolean value) {
    unavailable = value;
  }

  /** How many times {@link #assistants} answered. */
  public int listingCount() {
    return listings.get();
  }

  @Override
  public List<Assistant> assistants(ApiKey apiKey) {
    if (!acceptedKeys.contains(apiKey)) {
      throw UsageException.invalidApiKey();
    }
    if (unavailable) {
      throw UsageException.vapiUnavailable("the in-memory account is unavailable");
    }
    listings.incrementAndGet();
    synchronized (this) {
      return new ArrayList<>(assistants.values());
    }
  }
}
