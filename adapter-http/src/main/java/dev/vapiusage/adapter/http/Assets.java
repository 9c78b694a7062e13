package dev.vapiusage.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages' static files, read once from {@code dev/vapiusage/adapter/http/assets/} on the class
 * path, plus Chart.js from its webjar. Names are flat and checked against a pattern, so no request
 * can reach another resource. Every file has a version, a prefix of the SHA-256 of its content: the
 * pages load {@code name?v=version}, which may be cached for good. The page script is ES modules
 * that import each other by relative path; their imports are rewritten to carry the imported
 * module's version, so a module's version changes with any module it depends on.
 */
final class Assets {
  /**
   * The name the pages load Chart.js by; the file comes from the {@code org.webjars.npm:chart.js}
   * jar.
   */
  static final String CHART_JS = "chart.umd.js";

  private static final String FOLDER = "/dev/vapiusage/adapter/http/assets/";

  /** Files served from a webjar: flat name to class path resource. */
  private static final Map<String, String> VENDOR = vendorFiles();

  private static final Pattern NAME =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}\\.(css|js|svg|png|ico|woff2|map)");

  /** Only files that exist are kept, so probing made-up names cannot grow the cache. */
  private static final Map<String, Asset> CACHE = new ConcurrentHashMap<>();

  private Assets() {}

  /** A relative import of another module of this folder: {@code from './name.js'}. */
  private static final Pattern IMPORT =
      Pattern.compile("(from\\s+'\\./)([a-z0-9][a-z0-9._-]{0,63}\\.js)(')");

  /** One file, its content type and its version. */
  record Asset(String contentType, byte[] bytes, String version) {}

  /** The URL the pages load an asset by: under the base path, with its version when it exists. */
  static String href(String base, String name) {
    return base + "/assets/" + name + find(name).map(asset -> "?v=" + asset.version()).orElse("");
  }

  static Optional<Asset> find(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    Asset cached = CACHE.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> loaded = load(name, new HashSet<>());
    loaded.ifPresent(asset -> CACHE.putIfAbsent(name, asset));
    return loaded;
  }

  private static Optional<Asset> load(String name, Set<String> importing) {
    String resource = VENDOR.getOrDefault(name, FOLDER + name);
    byte[] bytes;
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the asset " + name, e);
    }
    if (name.endsWith(".js") && !VENDOR.containsKey(name)) {
      bytes = versionImports(name, bytes, importing);
    }
    return Optional.of(new Asset(contentType(name), bytes, version(bytes)));
  }

  /** The module with each relative import of a module of this folder pointing at its version. */
  private static byte[] versionImports(String name, byte[] bytes, Set<String> importing) {
    if (!importing.add(name)) {
      throw new IllegalStateException("The modules import each other in a cycle: " + importing);
    }
    Matcher imports = IMPORT.matcher(new String(bytes, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder(bytes.length + 256);
    while (imports.find()) {
      String imported = imports.group(2);
      Asset asset = CACHE.get(imported);
      if (asset == null) {
        asset =
            load(imported, importing)
                .orElseThrow(
                    () -> new IllegalStateException(name + " imports the missing " + imported));
        CACHE.putIfAbsent(imported, asset);
      }
      imports.appendReplacement(
          out,
          Matcher.quoteReplacement(
              imports.group(1) + imported + "?v=" + asset.version() + imports.group(3)));
    }
    imports.appendTail(out);
    importing.remove(name);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String version(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
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
    String version =
        property("/META-INF/maven/org.webjars.npm/" + artifactId + "/pom.properties", "version");
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
