package dev.picket.injector.manifest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.picket.injector.mutate.PodInjector;

/**
 * {@code POST /v1/inject}: returns the manifest with the sidecar added, for GitOps pipelines that inject
 * before they apply. YAML in, YAML out; JSON in, JSON out. Documents of other kinds pass through unchanged,
 * so a whole {@code kustomize build} output can be sent. The header {@code Picket-Injection} lists what
 * happened to each document; a workload that cannot be injected fails the whole request with 422.
 */
@Path("/v1/inject")
public class InjectResource {

    static final String OUTCOME_HEADER = "Picket-Injection";

    @Inject
    PodInjector injector;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response inject(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("namespace") String namespace) {
        ManifestFormat format = ManifestFormat.fromMediaType(contentType);
        List<JsonNode> documents;
        try {
            documents = format.read(body == null ? "" : body);
        } catch (IOException e) {
            return error(Response.Status.BAD_REQUEST, "body is not valid " + format + ": " + firstLine(e.getMessage()));
        }
        if (documents.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "no manifest in the body");
        }
        ManifestInjector.Result result = new ManifestInjector(injector)
                .inject(documents, namespace == null || namespace.isBlank() ? "default" : namespace);
        if (!result.denials().isEmpty()) {
            return error(422, result.denials().stream().map(ManifestOutcome::detail).collect(Collectors.joining("; ")));
        }
        try {
            return Response.ok(format.write(result.documents()), format.mediaType())
                    .header(OUTCOME_HEADER, result.outcomes().stream().map(ManifestOutcome::summary)
                            .collect(Collectors.joining(", ")))
                    .build();
        } catch (IOException e) {
            return error(Response.Status.INTERNAL_SERVER_ERROR, "cannot write the manifest: " + e.getMessage());
        }
    }

    private static Response error(Response.Status status, String message) {
        return error(status.getStatusCode(), message);
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
