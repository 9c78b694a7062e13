package dev.vapiusage.bootstrap;

/** The server jar's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("usage: java -jar vapi-usage.jar [serve|users create <userId>|sync|rotate-key|demo]");
  }
}
