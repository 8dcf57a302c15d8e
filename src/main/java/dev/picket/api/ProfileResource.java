package dev.picket.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.picket.judge.JudgeContext;
import dev.picket.kube.KubeRuntime;
import dev.picket.kube.PodIdentity;
import dev.picket.profile.ActiveProfile;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileError;
import dev.picket.profile.ProfileReader;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.Validated;
import dev.picket.profile.WorkloadProfile;
import dev.picket.profile.WorkloadProfileSpec;
import dev.picket.profile.learn.Learner;
import dev.picket.profile.learn.NetworkPolicyProposal;
import dev.picket.verdict.VerdictService;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The active profile, and the profile learned so far (as a profile, or as a proposed NetworkPolicy). */
@Path("/v1/profile")
public class ProfileResource {

    /**
     * What was learned, plus what learning cannot know and the team decided: the active profile's threat
     * settings (disabled rules, reviewed exceptions), actions, image policy, pod-security mode and selector.
     * Applying the learned profile must not silently drop them.
     */
    static WorkloadProfileSpec withPolicyOf(Profile active, WorkloadProfileSpec learned) {
        WorkloadProfileSpec decided = active.toSpec();
        WorkloadProfileSpec out = ProfileRenderer.canonical(learned);
        out.setThreats(decided.getThreats());
        out.setActions(decided.getActions());
        out.setImages(decided.getImages());
        out.setPodSecurity(decided.getPodSecurity());
        if (out.getSelector() == null) {
            out.setSelector(decided.getSelector());
        }
        return out;
    }

    private static final Logger LOG = Logger.getLogger(ProfileResource.class);
    private static final String RESOURCE_SOURCE = WorkloadProfile.KIND + " ";

    @Inject
    ActiveProfile profiles;
    @Inject
    VerdictService verdicts;
    @Inject
    JudgeContext context;
    @Inject
    KubeRuntime kube;
    @Inject
    Instance<KubernetesClient> clients;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8788")
    int controlPort;
    @ConfigProperty(name = "quarkus.management.port", defaultValue = "8789")
    int managementPort;

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

    /**
     * What was learned, as a ready-to-apply profile ({@code format=yaml}, the default) or as a proposed
     * NetworkPolicy ({@code format=networkpolicy}); from this sidecar's own learning ({@code source=local}, the
     * default) or from the union of every replica's in the WorkloadProfile's {@code status.learned}
     * ({@code source=cluster}, with the Kubernetes integration on).
     */
    @GET
    @Path("/learned")
    @Produces({"application/yaml", MediaType.APPLICATION_JSON})
    public Response learned(@QueryParam("format") String format, @QueryParam("source") String source) {
        String f = format == null ? "yaml" : format;
        String s = source == null ? "local" : source;
        if (!f.equals("yaml") && !f.equals("networkpolicy")) {
            return ApiError.response(400, "bad_format", "format must be yaml or networkpolicy");
        }
        if (!s.equals("local") && !s.equals("cluster")) {
            return ApiError.response(400, "bad_source", "source must be local (this sidecar's learning) or cluster "
                    + "(status.learned of the WorkloadProfile)");
        }
        Profile active = profiles.current();
        String name = active.name().isEmpty() ? "learned" : active.name();
        Optional<WorkloadProfile> resource = Optional.empty();
        if (s.equals("cluster") || f.equals("networkpolicy") && kube.enabled() && fromResource(active)) {
            if (!kube.enabled()) {
                return ApiError.response(409, "kube_off", "source=cluster reads the WorkloadProfile's status.learned, "
                        + "which needs the Kubernetes integration (picket.kube.enabled)");
            }
            if (!fromResource(active)) {
                return ApiError.response(409, "not_a_resource", "source=cluster needs a WorkloadProfile; the active "
                        + "profile is the " + active.source());
            }
            try {
                resource = Optional.ofNullable(client().resources(WorkloadProfile.class)
                        .inNamespace(kube.pod().orElseThrow().namespace()).withName(active.name()).get());
            } catch (KubernetesClientException e) {
                if (s.equals("cluster")) {
                    return ApiError.response(503, "kube_unavailable", "cannot read WorkloadProfile " + active.name()
                            + ": " + e.getMessage());
                }
                LOG.debugf("cannot read WorkloadProfile %s for its selector: %s", active.name(), e.getMessage());
            }
        }
        WorkloadProfileSpec learned;
        String origin;
        if (s.equals("cluster")) {
            if (resource.isEmpty()) {
                return ApiError.response(404, "not_found", "WorkloadProfile " + active.name() + " does not exist");
            }
            learned = resource.get().getStatus() == null ? null : resource.get().getStatus().getLearned();
            if (learned == null) {
                return ApiError.response(404, "nothing_learned", "WorkloadProfile " + active.name()
                        + " has nothing learned in status.learned yet (its pods write it while they learn)");
            }
            origin = "status.learned of " + active.source() + " (what every replica learned)";
        } else {
            learned = verdicts.learner().spec();
            origin = "what " + kube.pod().map(p -> "pod " + p.namespace() + "/" + p.name()).orElse("this sidecar")
                    + " learned";
        }
        Response.ResponseBuilder r;
        if (f.equals("yaml")) {
            r = Response.ok(ProfileRenderer.renderLearned(name, withPolicyOf(active, learned)), "application/yaml");
        } else {
            r = Response.ok(NetworkPolicyProposal.yaml(inputs(name, origin, learned, active, resource)), "application/yaml");
        }
        if (s.equals("local")) {
            Learner learner = verdicts.learner();
            learner.since().ifPresent(t -> r.header("X-Picket-Learning-Since", t.toString()));
            learner.lastNewItem().ifPresent(t -> r.header("X-Picket-Last-New-Item", t.toString()));
        }
        return r.build();
    }

    private NetworkPolicyProposal.Inputs inputs(String name, String origin, WorkloadProfileSpec learned, Profile active,
            Optional<WorkloadProfile> resource) {
        Optional<PodIdentity> pod = kube.enabled() ? kube.pod() : Optional.empty();
        Optional<LabelSelector> selector = resource.map(WorkloadProfile::getSpec).map(WorkloadProfileSpec::getSelector)
                .or(() -> fileSelector(active));
        NetworkPolicyProposal.Selection selection = NetworkPolicyProposal.selection(selector, active.source(),
                pod.flatMap(this::podLabels));
        Optional<NetworkPolicyProposal.ApiServer> api = kube.enabled()
                ? context.kubeApiHost().map(h -> new NetworkPolicyProposal.ApiServer(h, context.kubeApiPort()))
                : Optional.empty();
        return new NetworkPolicyProposal.Inputs(name, pod.map(PodIdentity::namespace), origin, learned, selection,
                context.resolvers(), api, List.of(controlPort, managementPort));
    }

    private static boolean fromResource(Profile p) {
        return p.source().startsWith(RESOURCE_SOURCE);
    }

    /** The selector written in the profile file, which the sidecar ignores but which names the workload's pods. */
    private Optional<LabelSelector> fileSelector(Profile active) {
        if (profiles.path().isEmpty() || !active.source().startsWith("file ")) {
            return Optional.empty();
        }
        try {
            Validated<WorkloadProfile> read = ProfileReader.read(Files.readAllBytes(profiles.path().get()));
            return read.isValid() ? Optional.ofNullable(read.value().getSpec().getSelector()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Map<String, String>> podLabels(PodIdentity identity) {
        try {
            Pod pod = client().pods().inNamespace(identity.namespace()).withName(identity.name()).get();
            return Optional.ofNullable(pod).map(p -> p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
        } catch (KubernetesClientException e) {
            LOG.debugf("cannot read pod %s for its labels: %s", identity, e.getMessage());
            return Optional.empty();
        }
    }

    private KubernetesClient client() {
        return clients.get();
    }
}
