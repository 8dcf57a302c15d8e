package dev.picket.api;

import dev.picket.respond.QuarantineRecord;
import dev.picket.respond.QuarantineState;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Map;

/**
 * Quarantines the pod on request. There is deliberately no release here: releasing is an operator's act
 * outside the pod, so whoever takes over the workload cannot undo it.
 */
@Path("/v1/quarantine")
public class QuarantineResource {

    static final int MAX_REASON = 512;

    public record Request(String reason) {
    }

    @Inject
    QuarantineState state;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response quarantine(Request body, @Context ContainerRequestContext request) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return ApiError.response(400, "missing_reason", "the body must be JSON with a non-empty \"reason\"");
        }
        String reason = body.reason().strip();
        if (reason.length() > MAX_REASON) {
            return ApiError.response(400, "reason_too_long", "reason is limited to " + MAX_REASON + " characters");
        }
        if (state.isQuarantined()) {
            return Response.ok(Map.of("quarantined", true, "record", state.current().orElseThrow(),
                    "message", "already quarantined; the first record stays")).build();
        }
        reason = reason.replaceAll("\\p{Cntrl}", " ");
        Object caller = request.getProperty("picket.caller");
        state.quarantine(new QuarantineRecord(reason, clock.instant(), null, null,
                caller == null ? null : caller.toString()));
        return Response.accepted(Map.of("quarantined", true, "record", state.current().orElseThrow())).build();
    }
}
