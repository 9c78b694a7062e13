package dev.vapiusage.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The pages' static files, read once from {@code dev/vapiusage/adapter/http/assets/} on the class
 * path. Names are flat and checked against a pattern, so no request can reach another resource.
 */
final class Assets {
  private static final String FOLDER = "/dev/vapiusage/adapter/http/assets/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}\\.(css|js|svg|png|ico|woff2|map)");
  /** Only files that exist are kept, so probing made-up names cannot grow the cache. */
  private static final Map<String, Asset> CACHE = new ConcurrentHashMap<>();

  private Assets() {}

  /** One file and its content type. */
  record Asset(String contentType, byte[] bytes) {}

  static Optional<Asset> find(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    Asset cached = CACHE.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> loaded = load(name);
    loaded.ifPresent(asset -> CACHE.putIfAbsent(name, asset));
    return loaded;
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = Assets.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new Asset(contentType(name), in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the asset " + name, e);
    }
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    switch (extension) {
      case "css":
        return "text/css; charset=utf-8";
      case "js":
        return "text/javascript; charset=utf-8";
      case "svg":
        return "image/svg+xml";
      case "png":
        return "image/png";
      case "ico":
        return "image/x-icon";
      case "woff2":
        return "font/woff2";
      default:
        return "application/json";
    }
  }
}
