package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromedriver}) shared by the tests of
 * a class. The driver path is given explicitly, so Selenium Manager never runs and nothing is
 * downloaded. Without the browser the tests are skipped, with a line on the console that says why,
 * except on CI ({@code CI=true}), where they fail. Every page records Content-Security-Policy
 * violations and script errors, so a test can prove that a page ran cleanly under the server's
 * policy.
 */
public final class Browser implements AutoCloseable {
  public static final int DESKTOP_WIDTH = 1280;
  public static final int DESKTOP_HEIGHT = 900;
  public static final int PHONE_WIDTH = 390;
  public static final int PHONE_HEIGHT = 844;
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final Path CHROMIUM =
      Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));

  /** Runs before any script of every page: collects what the page policy blocked and what threw. */
  private static final String PROBLEM_RECORDER =
      "window.__problems = [];"
          + "window.addEventListener('securitypolicyviolation', function (e) {"
          + "  window.__problems.push('CSP blocked ' + e.violatedDirective + ': ' + e.blockedURI); });"
          + "window.addEventListener('error', function (e) {"
          + "  var t = e.target; window.__problems.push(t && t !== window && (t.src || t.href)"
          + "    ? 'Could not load ' + (t.src || t.href) : 'Script error: ' + e.message); }, true);"
          + "window.addEventListener('unhandledrejection', function (e) {"
          + "  window.__problems.push('Unhandled rejection: ' + (e.reason && e.reason.message || e.reason)); });";

  public final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private int width = DESKTOP_WIDTH;
  private int height = DESKTOP_HEIGHT;

  private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  /**
   * Starts Chromium with {@code timeZone} as the computer's zone, or skips (fails on CI) without
   * it.
   */
  public static Browser start(String timeZone) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String reason =
          "The browser tests need "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (Debian: apt-get install chromium chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason);
      }
      skipping(
          StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass(),
          reason);
      Assumptions.abort(reason);
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("vapi-usage-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .withEnvironment(Map.of("TZ", timeZone, "LANG", "en_US.UTF-8"))
            .withLogOutput(OutputStream.nullOutputStream())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--user-data-dir=" + profile,
        "--lang=en-US",
        "--force-prefers-reduced-motion",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=" + DESKTOP_WIDTH + "," + DESKTOP_HEIGHT);
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
    ChromeDriver driver = new ChromeDriver(service, options);
    Browser browser = new Browser(driver, service, profile);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBLEM_RECORDER));
    browser.viewport(DESKTOP_WIDTH, DESKTOP_HEIGHT);
    return browser;
  }

  /**
   * Says on the build's console that a test class is skipped. Surefire sends {@code System.err} to
   * a report file and counts a class aborted in {@code @BeforeAll} as no test at all, so the line
   * goes to the JVM's own standard error, which Maven prints.
   */
  private static void skipping(Class<?> testClass, String reason) {
    @SuppressWarnings("resource") // The process's standard error stays open.
    PrintStream console =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    console.println("SKIPPED " + testClass.getSimpleName() + ": " + reason);
  }

  public WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50));
  }

  public <T> T await(Function<WebDriver, T> condition) {
    return waiting().until(condition);
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public WebElement visible(String css) {
    return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  public void gone(String css) {
    await(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  public void textIn(String css, String text) {
    await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  public Object script(String source, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(source, arguments);
  }

  /** The id (or tag) of the focused element. */
  public String focused() {
    return (String)
        script(
            "var e = document.activeElement; return e ? (e.id || e.tagName.toLowerCase()) : null;");
  }

  /** What the current page's policy blocked and what threw on it; empty for a clean page. */
  @SuppressWarnings("unchecked")
  public List<String> problems() {
    Object problems = script("return window.__problems || [];");
    return (List<String>) problems;
  }

  public void assertNoProblems() {
    assertThat(problems())
        .as("CSP violations and script errors on " + driver.getCurrentUrl())
        .isEmpty();
  }

  /** Emulates a screen of this size: the page is laid out exactly this wide, as on a phone. */
  public void viewport(int newWidth, int newHeight) {
    width = newWidth;
    height = newHeight;
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", newWidth, "height", newHeight, "deviceScaleFactor", 1, "mobile", false));
    settle();
  }

  public void desktop() {
    viewport(DESKTOP_WIDTH, DESKTOP_HEIGHT);
  }

  public void phone() {
    viewport(PHONE_WIDTH, PHONE_HEIGHT);
  }

  /** Waits two frames, so layout, resize observers and charts have caught up. */
  public void settle() {
    ((JavascriptExecutor) driver)
        .executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(done, 30); }); });");
  }

  /** Whether the page is wider than the screen (a horizontal scroll bar on a phone). */
  public boolean overflowsHorizontally() {
    return (Boolean) script("return document.documentElement.scrollWidth > window.innerWidth + 1;");
  }

  /**
   * Saves the whole page, beyond the visible screen, as {@code target/screenshots/<name>.png}; a
   * name may start with a folder ({@code postgresql/overview}).
   */
  @SuppressWarnings("unchecked")
  public Path screenshot(String name) {
    settle();
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
    long fullHeight =
        Math.max(height, (long) Math.ceil(((Number) content.get("height")).doubleValue()));
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", width, "height", fullHeight, "scale", 1)));
    try {
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      // Capturing beyond the viewport may leave the page laid out for the tall capture.
      viewport(width, height);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover profile in the temp folder harms nothing.
    }
  }
}
