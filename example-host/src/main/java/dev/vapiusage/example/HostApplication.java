package dev.vapiusage.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.domain.UserId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * An application that already exists: its own users in {@code public.users}, its own Flyway history
 * in {@code public}, its own sign-in page and session. It adds vapi-usage with the README's dozen
 * lines, under {@code /admin/vapi}, on the same database and the same Javalin.
 *
 * <p>Run it with {@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD}, {@code
 * ENCRYPTION_KEY}, {@code ADMIN_EMAIL} and {@code ADMIN_PASSWORD} (the first user), and optionally
 * {@code VAPI_BASE_URL} and {@code PORT}; then sign in at {@code /sign-in}.
 */
public final class HostApplication implements AutoCloseable {
  static final String PREFIX = "/admin/vapi";
  private static final String SESSION_USER = "userId";

  private final DataSource dataSource;
  private final VapiUsage vapiUsage;
  private final Javalin app;

  private HostApplication(DataSource dataSource, String encryptionKey, URI vapiBaseUrl) {
    this.dataSource = dataSource;
    migrate(dataSource);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              // Tokens and session ids are case-sensitive; Jetty's header cache is not by default.
              config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            });
    app.get(
        "/",
        ctx ->
            ctx.html(
                "<h1>Example host</h1><p><a href=\"/sign-in\">Sign in</a> · <a href=\""
                    + PREFIX
                    + "/dashboard\">Vapi usage</a></p>"));
    app.get("/sign-in", ctx -> ctx.html(signInPage(null)));
    app.post("/sign-in", this::signIn);
    app.post(
        "/sign-out",
        ctx -> {
          ctx.req().getSession().invalidate();
          ctx.redirect("/sign-in");
        });

    // --- vapi-usage, as the README shows it ---
    VapiUsage vapiUsage =
        VapiUsage.builder()
            .dataSource(dataSource) // your pool: every table goes into schema vapi_usage
            .encryptionKey(encryptionKey) // ≥ 32 characters; seals the stored Vapi keys
            .vapiBaseUrl(vapiBaseUrl) // default https://api.vapi.ai
            .currentUser(
                ctx ->
                    Optional.ofNullable(ctx.<String>sessionAttribute(SESSION_USER)).map(UserId::of))
            .prefix(PREFIX) // the API and the pages live under it
            .loginPath("/sign-in") // where the pages send a visitor who is not signed in
            .build()
            .start();
    vapiUsage.mount(app);
    this.vapiUsage = vapiUsage;
  }

  /** Migrates the host's own schema ({@code public}) with its own Flyway history. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:host/db").load().migrate();
  }

  public static HostApplication start(
      DataSource dataSource, String encryptionKey, URI vapiBaseUrl, int port) {
    HostApplication host = new HostApplication(dataSource, encryptionKey, vapiBaseUrl);
    host.app.start("127.0.0.1", port);
    return host;
  }

  public int port() {
    return app.port();
  }

  /** Adds a user of the host application (its own table, its own password hashing). */
  public static void addUser(DataSource dataSource, String email, String password)
      throws SQLException {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO users (email, password_salt, password_hash) VALUES (?, ?, ?)")) {
      insert.setString(1, email);
      insert.setBytes(2, salt);
      insert.setBytes(3, hash(password, salt));
      insert.executeUpdate();
    }
  }

  private void signIn(Context ctx) throws SQLException {
    String email = ctx.formParam("email");
    String password = ctx.formParam("password");
    if (email == null || password == null || !passwordMatches(email, password)) {
      ctx.status(401).html(signInPage("Wrong email or password."));
      return;
    }
    // A new session on sign-in, so an id planted before it is worth nothing after it.
    jakarta.servlet.http.HttpSession before = ctx.req().getSession(false);
    if (before != null) {
      before.invalidate();
    }
    ctx.req().getSession(true);
    ctx.sessionAttribute(SESSION_USER, email);
    ctx.redirect(PREFIX + "/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private boolean passwordMatches(String email, String password) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT password_salt, password_hash FROM users WHERE email = ?")) {
      select.setString(1, email);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            && MessageDigest.isEqual(hash(password, row.getBytes(1)), row.getBytes(2));
      }
    }
  }

  private static byte[] hash(String password, byte[] salt) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 210_000, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has PBKDF2WithHmacSHA256", e);
    }
  }

  private static String signInPage(String message) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Example host</title></head><body>"
        + "<h1>Sign in to the example host</h1>"
        + (message == null ? "" : "<p role=\"alert\">" + message + "</p>")
        + "<form method=\"post\" action=\"/sign-in\"><label>Email <input name=\"email\" type=\"email\" required></label>"
        + "<label>Password <input name=\"password\" type=\"password\" required></label><button>Sign in</button></form>"
        + "</body></html>";
  }

  @Override
  public void close() {
    app.stop();
    vapiUsage.close();
  }

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(required("DATABASE_URL"));
    config.setUsername(System.getenv("DATABASE_USER"));
    config.setPassword(System.getenv("DATABASE_PASSWORD"));
    HikariDataSource pool = new HikariDataSource(config);
    migrate(pool);
    String email = System.getenv("ADMIN_EMAIL");
    if (email != null && !userExists(pool, email)) {
      addUser(pool, email, required("ADMIN_PASSWORD"));
    }
    URI vapi =
        URI.create(
            Optional.ofNullable(System.getenv("VAPI_BASE_URL")).orElse("https://api.vapi.ai"));
    int port = Integer.parseInt(Optional.ofNullable(System.getenv("PORT")).orElse("8080"));
    HostApplication host = start(pool, required("ENCRYPTION_KEY"), vapi, port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  host.close();
                  pool.close();
                }));
    System.err.println(
        "Example host on http://127.0.0.1:" + host.port() + "/sign-in, vapi-usage under " + PREFIX);
  }

  private static boolean userExists(DataSource dataSource, String email) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT 1 FROM users WHERE email = ?")) {
      select.setString(1, email);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      System.err.println("example-host: " + variable + " is not set");
      System.exit(2);
    }
    return value;
  }
}
