package dev.picket.injector.fuzz;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.picket.injector.admission.AdmissionAnswer;
import dev.picket.injector.admission.AdmissionCall;
import dev.picket.injector.admission.AdmissionResult;
import dev.picket.injector.admission.AdmissionReviewReader;
import dev.picket.injector.admission.BadAdmissionReview;
import dev.picket.injector.admission.PodAdmission;
import dev.picket.injector.config.InjectorConfig;
import dev.picket.injector.golden.GoldenCase;
import dev.picket.injector.golden.GoldenCases;
import dev.picket.injector.golden.TestNamespaces;
import dev.picket.injector.golden.TestSettings;
import dev.picket.injector.kube.NamespaceDirectory;
import dev.picket.injector.kube.ProfileDirectory;
import dev.picket.injector.mutate.NamespaceInfo;
import dev.picket.injector.mutate.PodInjector;
import dev.picket.injector.mutate.PodJson;
import dev.picket.injector.mutate.SkipReason;
import dev.picket.injector.policy.AdmissionProfile;
import dev.picket.injector.policy.ProfileLookup;
import dev.picket.injector.policy.ProfileParser;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * The webhook's handling of an AdmissionReview body, on any bytes: {@link AdmissionReviewReader} (what is not a
 * review becomes a 400 with a one-line message), then {@link PodAdmission#answer} exactly as {@code POST /mutate}
 * calls it (injection, the image policy and the pod-security gate of the WorkloadProfiles of every golden case, in
 * every namespace), then the response review. Checked on every input:
 * <ul>
 * <li>the decision never fails inside (an internal error would deny or let through a pod for no reason);</li>
 * <li>the response is a well-formed {@code admission.k8s.io/v1} AdmissionReview with the request's uid;</li>
 * <li>a patch is a base64 JSON Patch that applies to the pod as sent and yields a pod that reads as a Pod;</li>
 * <li>injection is idempotent: the patched pod, sent again, gets no patch ({@code already_injected}).</li>
 * </ul>
 * Seeds: the real AdmissionReviews of {@code admission/} (as sent and opted in) and every golden input wrapped in a
 * review for its namespace.
 */
class AdmissionReviewFuzzTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final List<Logger> QUIET = new ArrayList<>();
    private static PodAdmission admission;

    @BeforeAll
    static void admission() throws Exception {
        if (admission != null) {
            return;
        }
        // every answer is logged at INFO or WARN; at fuzzing speed that is the whole cost
        for (String name : List.of("dev.picket.injector")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.SEVERE);
            QUIET.add(l);
        }
        List<AdmissionProfile> profiles = new ArrayList<>();
        for (GoldenCase c : GoldenCases.all()) {
            for (JsonNode p : c.profiles()) {
                profiles.add(ProfileParser.parse(p));
            }
        }
        admission = new PodAdmission();
        set(admission, "injector", new PodInjector(TestSettings.defaults()));
        set(admission, "namespaces", new NamespaceDirectory() {
            @Override
            public NamespaceInfo lookup(String name) {
                return TestNamespaces.LABELS.containsKey(name) ? TestNamespaces.info(name)
                        : NamespaceInfo.known(name, Map.of("picket.dev/injection", "enabled"));
            }
        });
        set(admission, "profiles", new ProfileDirectory() {
            @Override
            public ProfileLookup lookup(String namespace) {
                return new ProfileLookup.Available(profiles);
            }
        });
        set(admission, "config", Proxy.newProxyInstance(InjectorConfig.class.getClassLoader(),
                new Class<?>[] {InjectorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "onFailure" -> InjectorConfig.OnFailure.DENY;
                    case "toString" -> "fuzz config";
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = PodAdmission.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    @FuzzTest
    void review(byte[] data) throws IOException {
        AdmissionCall call;
        try {
            call = AdmissionReviewReader.read(data);
        } catch (BadAdmissionReview bad) {
            // POST /mutate answers 400 {"message": ...}: one line, bounded
            String m = bad.getMessage();
            if (m == null || m.isBlank() || m.length() > 400 || m.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                    || m.chars().anyMatch(c -> c >= 0x80 && c < 0xa0)) {
                throw new AssertionError("a 400 message that is empty, long or multi-line: " + m);
            }
            return;
        }
        AdmissionAnswer answer = admission.answer(call);
        if (answer.message().orElse("").startsWith("internal error")) {
            throw new AssertionError("the decision failed inside: " + answer.message().get());
        }
        JsonNode response = JSON.readTree(JSON.writeValueAsString(answer.toReview(call.apiVersion(), call.uid())));
        expect(response.path("apiVersion").asText().equals(AdmissionReviewReader.API_VERSION), "apiVersion", response);
        expect(response.path("kind").asText().equals(AdmissionReviewReader.KIND), "kind", response);
        expect(response.at("/response/uid").asText().equals(call.uid()), "the request's uid", response);
        expect(response.at("/response/allowed").isBoolean(), "allowed", response);
        if (!answer.allowed()) {
            expect(response.at("/response/status/code").asInt() == 403
                    && !response.at("/response/status/message").asText().isBlank(), "a 403 status with a message", response);
        }
        if (!response.at("/response/patch").isMissingNode()) {
            expect(answer.result() == AdmissionResult.INJECTED && call.object() != null, "a patch only for injection",
                    response);
            expect(response.at("/response/patchType").asText().equals("JSONPatch"), "patchType", response);
            JsonNode patch = JSON.readTree(new String(Base64.getDecoder().decode(response.at("/response/patch").asText()),
                    StandardCharsets.UTF_8));
            expect(patch.isArray(), "a JSON Patch array", response);
            JsonNode sent = call.object().deepCopy();
            JsonNode patched = JsonPatch.apply(patch, call.object());
            expect(sent.equals(call.object()), "the pod as sent left unchanged", response);
            PodJson.toPod(patched);
            AdmissionCall again = new AdmissionCall(call.apiVersion(), call.uid() + "-again", call.group(), call.version(),
                    call.kind(), call.subResource(), call.operation(), call.namespace(), call.name(), call.dryRun(), patched);
            AdmissionAnswer second = admission.answer(again);
            if (second.patch().isPresent() || second.skip().orElse(null) != SkipReason.ALREADY_INJECTED) {
                throw new AssertionError("injection is not idempotent: the injected pod gets " + second.result()
                        + " " + second.skip() + " " + second.message() + " " + second.patch() + "\npod: " + patched);
            }
        }
    }

    /** The answer to one request body as the webhook would give it, for the named finding tests. */
    static String answerText(byte[] body) {
        AdmissionCall call = AdmissionReviewReader.read(body);
        AdmissionAnswer answer = admission.answer(call);
        return answer.result() + " " + answer.message().orElse("") + " " + answer.skip().map(SkipReason::code).orElse("");
    }

    /** A volumeMount at the service-account token's path without a string name (the symptom of F2). */
    static boolean mountWithoutName(JsonNode pod) {
        if (pod == null) {
            return false;
        }
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                for (JsonNode m : c.path("volumeMounts")) {
                    if (!m.path("name").isTextual()
                            && "/var/run/secrets/kubernetes.io/serviceaccount".equals(m.path("mountPath").asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void expect(boolean ok, String what, JsonNode response) {
        if (!ok) {
            throw new AssertionError("the response lacks " + what + ": " + response);
        }
    }
}
