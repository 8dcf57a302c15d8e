package dev.picket.api;

import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Mode;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Switches the mode; the body is {@code learn}, {@code monitor} or {@code enforce} (plain text or a JSON string). */
@Path("/v1/mode")
public class ModeResource {

    @Inject
    ActiveProfile profiles;

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response set(String body, @Context ContainerRequestContext request) {
        String text = body == null ? "" : body.trim();
        if (text.length() > 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        Mode mode = Mode.parse(text).orElse(null);
        if (mode == null) {
            return ApiError.response(400, "bad_mode", "the body must be learn, monitor or enforce");
        }
        Mode before = profiles.current().mode();
        profiles.setModeOverride(mode);
        Log.warnf("mode set to %s by %s (was %s)", mode.wire(), request.getProperty("picket.caller"), before.wire());
        return Response.ok(Map.of("mode", mode.wire(), "previous", before.wire())).build();
    }
}
