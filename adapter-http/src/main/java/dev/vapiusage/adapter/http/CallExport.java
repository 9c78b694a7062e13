package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vapiusage.application.CallView;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.UsageException;
import java.io.IOException;
import java.io.Writer;

/**
 * The calls export's formats (contract §9.2): CSV with the contract's columns, or NDJSON with one
 * list-shaped call per line. A sink writes one call at a time, so nothing grows with the export.
 */
enum CallExport {
  CSV("csv", "text/csv; charset=utf-8") {
    @Override
    Sink open(Writer out) throws IOException {
      CsvWriter csv = new CsvWriter(out);
      csv.plainRow(COLUMNS);
      return new Sink() {
        @Override
        public void write(CallView view) throws IOException {
          // The cells of Views.Call, written straight from the call: an export builds no view
          // object or instant text per call.
          CallRecord call = view.call();
          csv.text(call.id())
              .instant(call.createdAt())
              .instant(call.startedAt())
              .instant(call.endedAt())
              .text(call.type())
              .text(call.status())
              .text(call.endedReason())
              .text(call.assistantId())
              .text(view.assistantName())
              .number(Views.minutesOf(call))
              .number(call.cost());
          // An uncosted call has no breakdown either: its components are absent, not zero.
          boolean costed = call.cost() != null;
          CostComponents costs = call.costs();
          csv.number(costed ? costs.transport() : null)
              .number(costed ? costs.stt() : null)
              .number(costed ? costs.llm() : null)
              .number(costed ? costs.tts() : null)
              .number(costed ? costs.vapi() : null)
              .number(costed ? costs.analysis() : null)
              .endRow();
        }

        @Override
        public void finish() throws IOException {
          csv.flush();
        }
      };
    }
  },

  NDJSON("ndjson", "application/x-ndjson") {
    @Override
    Sink open(Writer out) throws IOException {
      JsonGenerator json = Json.lineGenerator(out);
      return new Sink() {
        @Override
        public void write(CallView view) throws IOException {
          Json.writeLine(json, Views.Call.of(view));
        }

        @Override
        public void finish() throws IOException {
          json.flush();
        }
      };
    }
  };

  static final String[] COLUMNS = {
    "id",
    "createdAt",
    "startedAt",
    "endedAt",
    "type",
    "status",
    "endedReason",
    "assistantId",
    "assistantName",
    "minutes",
    "cost",
    "transport",
    "stt",
    "llm",
    "tts",
    "vapi",
    "analysis"
  };

  final String extension;
  final String contentType;

  CallExport(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** The format a query names: CSV when absent, else exactly {@code csv} or {@code ndjson}. */
  static CallExport named(String format) {
    if (format == null) {
      return CSV;
    }
    for (CallExport export : values()) {
      if (export.extension.equals(format)) {
        return export;
      }
    }
    throw UsageException.invalidRequest("format must be csv or ndjson");
  }

  /** Starts the body (the CSV header) and answers where the calls go. */
  abstract Sink open(Writer out) throws IOException;

  /** Where an export's calls are written, one by one. */
  interface Sink {
    void write(CallView view) throws IOException;

    /** Writes what the format holds back; the writer is flushed by the caller. */
    void finish() throws IOException;
  }
}
