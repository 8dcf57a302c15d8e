package dev.picket.injector.admission;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

/**
 * {@code POST /mutate}: the endpoint the API server calls. The body is read as bytes and parsed here, not
 * by the framework, so that every malformed body gets a 400 with a message saying what is wrong.
 */
@Path("/mutate")
public class MutateResource {

    private static final Logger LOG = Logger.getLogger(MutateResource.class);

    @Inject
    PodAdmission admission;

    @Inject
    InjectionMetrics metrics;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response mutate(byte[] body) {
        long start = System.nanoTime();
        AdmissionCall call;
        try {
            call = AdmissionReviewReader.read(body);
        } catch (BadAdmissionReview e) {
            LOG.warnf("rejected a request body: %s", e.getMessage());
            metrics.record(AdmissionResult.BAD_REQUEST, null, java.util.List.of(), System.nanoTime() - start);
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", e.getMessage())).build();
        }
        AdmissionAnswer answer = admission.answer(call);
        metrics.record(answer.result(), answer.skip().orElse(null), answer.findings(), System.nanoTime() - start);
        return Response.ok(answer.toReview(call.apiVersion(), call.uid())).build();
    }
}
