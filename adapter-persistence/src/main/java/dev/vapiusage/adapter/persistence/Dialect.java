package dev.vapiusage.adapter.persistence;

import java.util.Locale;

/** The two databases this adapter speaks to; SQL differs only where the dialects do (upserts). */
enum Dialect {
  POSTGRESQL("postgresql"),
  H2("h2");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  /** The Flyway location of this dialect's migrations. */
  String migrations() {
    return "classpath:dev/vapiusage/adapter/persistence/db/" + migrationFolder;
  }

  static Dialect fromProductName(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "Unsupported database: " + productName + " (PostgreSQL or H2 only)");
  }
}
