package dev.picket.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * The control port's limits on what a caller may send, answered like every other refusal of the control endpoint:
 * a 4xx with a JSON {@link ApiError}, never an empty body, a 5xx or a stack trace.
 *
 * <ul>
 * <li>A body over {@code quarkus.http.limits.max-body-size} gets 413, whether its {@code Content-Length} says so
 * up front or a chunked body grows past the limit, and the connection is closed (the rest of the body must not be
 * read as the next request). Quarkus' own limit answers with an empty 413; this route runs before it.</li>
 * <li>A body still incomplete {@code quarkus.http.read-timeout} after the headers (a slowloris body: a byte now and
 * then, which an idle timeout never catches) gets 408 and the connection is closed.</li>
 * <li>A malformed {@code Content-Length} gets 400.</li>
 * <li>Whatever else fails in routing reaches the failure handler here and becomes JSON; a 5xx is logged.</li>
 * </ul>
 * What Vert.x refuses while decoding, before any route runs (a request line or headers over the limits, bytes that
 * are not HTTP), gets its plain 400, 414 or 431 without a body and the connection closed: no route can answer it.
 */
@ApplicationScoped
public class HttpLimits {

    private static final String DEADLINE = "picket.body-deadline";

    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "16K")
    MemorySize maxBodySize;
    @ConfigProperty(name = "quarkus.http.read-timeout", defaultValue = "10s")
    Duration bodyTimeout;

    void install(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        // before Quarkus' own upload limit (ROUTE_ORDER_UPLOAD_LIMIT), which would answer an empty 413
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::deadline)
                .failureHandler(this::failure);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(BodyHandler.create(false).setBodyLimit(limit).setHandleFileUploads(false))
                .failureHandler(this::failure);
    }

    private void deadline(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !length.matches("[0-9]{1,18}")) {
            refuse(ctx, 400, "bad_request", "Content-Length is not a number of bytes");
            return;
        }
        if (!ctx.request().isEnded()) {
            long timer = vertx.setTimer(bodyTimeout.toMillis(), t -> {
                if (!ctx.request().isEnded() && !ctx.response().ended()) {
                    refuse(ctx, 408, "request_timeout", "the request body did not arrive within "
                            + bodyTimeout.toSeconds() + " s");
                }
            });
            ctx.put(DEADLINE, timer);
            ctx.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        switch (status) {
            case 413 -> refuse(ctx, 413, "body_too_large", "the request body is larger than "
                    + maxBodySize.asLongValue() + " bytes");
            case 400 -> refuse(ctx, 400, "bad_request", "the request was not understood");
            default -> {
                if (status >= 400 && status < 500) {
                    refuse(ctx, status, "bad_request", "the request was not understood");
                } else {
                    Log.errorf(ctx.failure(), "control endpoint failure (status %d)", status);
                    answer(ctx.response(), 500, "internal_error", "the request failed inside Picket; see its log", false);
                }
            }
        }
    }

    /** A refusal that leaves the connection in an unknown state (body partly read): answer, then close it. */
    private void refuse(RoutingContext ctx, int status, String error, String message) {
        Object timer = ctx.get(DEADLINE);
        if (timer instanceof Long id) {
            vertx.cancelTimer(id);
        }
        answer(ctx.response(), status, error, message, true);
        registry.counter("picket.control.rejected", Tags.of("status", Integer.toString(status))).increment();
    }

    private static void answer(HttpServerResponse response, int status, String error, String message, boolean close) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(v -> response.close());
        }
        response.end(new JsonObject().put("error", error).put("message", message).encode());
    }
}
