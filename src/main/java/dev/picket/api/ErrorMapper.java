package dev.picket.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every failure becomes a JSON {@link ApiError}; internals are logged, not sent. */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof NotFoundException) {
            return ApiError.response(404, "not_found", "no such endpoint");
        }
        if (e instanceof NotAllowedException) {
            return ApiError.response(405, "method_not_allowed", "this endpoint does not accept that method");
        }
        if (e instanceof NotSupportedException) {
            return ApiError.response(415, "unsupported_media_type", "this endpoint does not accept that content type");
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return ApiError.response(status, "bad_request", status == 413 ? "the request body is too large"
                    : "the request was not understood");
        }
        Log.errorf(e, "control endpoint failure");
        return ApiError.response(500, "internal_error", "the request failed inside Picket; see its log");
    }
}
