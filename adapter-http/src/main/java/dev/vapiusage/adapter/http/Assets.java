package dev.vapiusage.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The pages' static files, read once from {@code dev/vapiusage/adapter/http/assets/} on the class
 * path, plus Chart.js from its webjar. Names are flat and checked against a pattern, so no request
 * can reach another resource.
 */
final class Assets {
  /** The name the pages load Chart.js by; the file comes from the {@code org.webjars.npm:chart.js} jar. */
  static final String CHART_JS = "chart.umd.js";

  private static final String FOLDER = "/dev/vapiusage/adapter/http/assets/";
  /** Files served from a webjar: flat name to class path resource. */
  private static final Map<String, String> VENDOR = vendorFiles();
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
    String resource = VENDOR.getOrDefault(name, FOLDER + name);
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new Asset(contentType(name), in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the asset " + name, e);
    }
  }

  /** Without the webjar the pages still work, showing their tables instead of charts. */
  private static Map<String, String> vendorFiles() {
    String version = webjarVersion("chart.js");
    if (version == null) {
      return Map.of();
    }
    String chartJs = "/META-INF/resources/webjars/chart.js/" + version + "/dist/";
    return Map.of(CHART_JS, chartJs + CHART_JS, CHART_JS + ".map", chartJs + CHART_JS + ".map");
  }

  /**
   * The version of the webjar on the class path, from its Maven metadata; else the version this
   * module was built with (for a class path whose jars were merged without that metadata); null
   * when neither is known.
   */
  static String webjarVersion(String artifactId) {
    String version = property("/META-INF/maven/org.webjars.npm/" + artifactId + "/pom.properties", "version");
    if (version == null) {
      version = property("/dev/vapiusage/adapter/http/vendor.properties", artifactId + ".version");
    }
    return version != null && version.matches("[0-9A-Za-z.+-]{1,40}") ? version : null;
  }

  private static String property(String resource, String key) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      String value = properties.getProperty(key);
      return value == null ? null : value.trim();
    } catch (IOException e) {
      return null;
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
