package dev.picket.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Authenticates every call on the control port before routing, so unknown paths are no more open than
 * known ones. Health and metrics are served on the management port and never pass here.
 */
public class ControlAuthFilter {

    /** RFC 6750 token68 characters, bounded so a huge header costs nothing. */
    private static final Pattern BEARER = Pattern.compile("Bearer ([A-Za-z0-9\\-._~+/]{1,4096}=*)");

    @Inject
    ControlAuthorizer authorizer;
    @Inject
    AuthFailureLimiter limiter;
    @Inject
    MeterRegistry registry;

    /**
     * Pre-matching filters run on the event loop; an authorizer that asks the Kubernetes API server (whose client
     * shares that event loop) must not block it, so its check runs on a worker thread.
     */
    @ServerRequestFilter(preMatching = true)
    public Uni<Response> filter(ContainerRequestContext request) {
        if (!authorizer.mayBlock()) {
            return Uni.createFrom().item(authenticate(request).orElse(null));
        }
        return Uni.createFrom().item(() -> authenticate(request).orElse(null))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    Optional<Response> authenticate(ContainerRequestContext request) {
        if (limiter.locked()) {
            return Optional.of(count(Response.fromResponse(ApiError.response(429, "too_many_failures",
                    "too many failed authentications; try again in " + limiter.secondsLeft() + " s"))
                    .header("Retry-After", limiter.secondsLeft()).build()));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return fail("missing Authorization: Bearer <token>");
        }
        var m = BEARER.matcher(header);
        if (!m.matches()) {
            return fail("malformed Authorization header: expected Bearer <token>");
        }
        ControlAuthorizer.Decision d = authorizer.authorize(m.group(1), operation(request));
        if (d.status() == 401) {
            return fail(d.message());
        }
        if (!d.allowed()) {
            return Optional.of(count(ApiError.response(d.status(), d.error(), d.message())));
        }
        request.setProperty("picket.caller", d.caller());
        return Optional.empty();
    }

    private Optional<Response> fail(String message) {
        limiter.failed();
        return Optional.of(count(Response.fromResponse(ApiError.response(401, "unauthorized", message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"picket\"").build()));
    }

    private Response count(Response r) {
        registry.counter("picket.control.rejected", Tags.of("status", Integer.toString(r.getStatus()))).increment();
        return r;
    }

    static ControlAuthorizer.Operation operation(ContainerRequestContext request) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return ControlAuthorizer.Operation.READ;
        }
        // any other method needs a write permission; the strictest unless it is plainly the mode switch
        return "PUT".equals(method) && "/v1/mode".equals(request.getUriInfo().getPath())
                ? ControlAuthorizer.Operation.MODE : ControlAuthorizer.Operation.QUARANTINE;
    }
}
