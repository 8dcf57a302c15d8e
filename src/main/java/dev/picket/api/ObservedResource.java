package dev.picket.api;

import dev.picket.observe.LatestSnapshot;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The latest snapshot of what the observer sees. */
@Path("/v1/observed")
@Produces(MediaType.APPLICATION_JSON)
public class ObservedResource {

    @Inject
    LatestSnapshot latest;

    @GET
    public Response observed() {
        return latest.get().<Response>map(s -> Response.ok(s).build())
                .orElseGet(() -> Response.status(Response.Status.SERVICE_UNAVAILABLE)
                        .entity(Map.of("error", "no_scan_yet", "message", "the first scan has not completed yet"))
                        .build());
    }

}
