package dev.picket.api;

import dev.picket.verdict.Violation;
import dev.picket.verdict.ViolationStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Violations, newest first; {@code since} is an ISO-8601 instant or a violation id (exclusive). */
@Path("/v1/violations")
@Produces(MediaType.APPLICATION_JSON)
public class ViolationsResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    ViolationStore store;

    @GET
    public Response list(@QueryParam("since") String since, @QueryParam("limit") String limit) {
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                return ApiError.response(400, "bad_limit", "limit must be a number from 1 to " + MAX_LIMIT);
            }
        }
        Instant from = null;
        if (since != null && !since.isBlank()) {
            from = since.startsWith("v-") ? timeOf(since) : parse(since);
            if (from == null) {
                return ApiError.response(400, "bad_since",
                        "since must be an ISO-8601 instant (2026-01-31T10:00:00Z) or the id of a known violation");
            }
        }
        List<Violation> out = store.list(from, n);
        return Response.ok(out).header("X-Picket-Violations-Total", store.total()).build();
    }

    private Instant timeOf(String id) {
        return store.list(null, Integer.MAX_VALUE).stream().filter(v -> v.id().equals(id)).map(Violation::time)
                .findFirst().orElse(null);
    }

    private static Instant parse(String s) {
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
