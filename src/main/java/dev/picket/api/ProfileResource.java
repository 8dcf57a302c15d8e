package dev.picket.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileError;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.learn.Learner;
import dev.picket.verdict.VerdictService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;

/** The active profile, and the profile learned so far. */
@Path("/v1/profile")
public class ProfileResource {

    @Inject
    ActiveProfile profiles;
    @Inject
    VerdictService verdicts;

    /** The active profile with every default written out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActiveView(String name, String source, long generation, String mode, String modeOverride,
            Instant loadedAt, ProfileError profileError, WorkloadProfileSpec spec) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ActiveView active() {
        Profile p = profiles.current();
        return new ActiveView(p.name(), p.source(), p.generation(), p.mode().wire(),
                profiles.modeOverride().map(m -> m.wire()).orElse(null), profiles.lastLoadTime(),
                profiles.lastError().orElse(null), ProfileRenderer.canonical(p.toSpec()));
    }

    @GET
    @Path("/learned")
    @Produces({"application/yaml", MediaType.APPLICATION_JSON})
    public Response learned(@QueryParam("format") String format) {
        Learner learner = verdicts.learner();
        if (format != null && !format.equals("yaml")) {
            return ApiError.response(400, "bad_format", "format must be yaml");
        }
        String name = profiles.current().name().isEmpty() ? "learned" : profiles.current().name();
        String yaml = ProfileRenderer.renderLearned(name, learner.spec());
        Response.ResponseBuilder r = Response.ok(yaml, "application/yaml");
        learner.since().ifPresent(t -> r.header("X-Picket-Learning-Since", t.toString()));
        learner.lastNewItem().ifPresent(t -> r.header("X-Picket-Last-New-Item", t.toString()));
        return r.build();
    }
}
