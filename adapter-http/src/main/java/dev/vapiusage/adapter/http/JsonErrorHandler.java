package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error responses in the contract's JSON: requests Jetty rejects before Javalin sees
 * them (malformed HTTP, oversized headers or URIs) and errors raised inside the servlet container.
 * Jetty's reason texts may echo request bytes, so the body uses fixed sentences instead.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowServlet(false);
    setShowMessageInTitle(false);
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    byte[] body = body(code);
    SecurityHeaders.apply(response::setHeader);
    response.setContentType(Json.CONTENT_TYPE);
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    } catch (IllegalStateException writerInUse) {
      response.getWriter().write(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    baseRequest.setHandled(true);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
    SecurityHeaders.apply(fields::put);
    return ByteBuffer.wrap(body(status));
  }

  private static byte[] body(int status) {
    ErrorCode code = HttpErrors.codeForStatus(status);
    return HttpErrors.body(code, HttpErrors.messageForStatus(status));
  }
}
