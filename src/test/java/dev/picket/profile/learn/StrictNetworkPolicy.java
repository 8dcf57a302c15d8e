package dev.picket.profile.learn;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads YAML into a fabric8 {@link NetworkPolicy} and refuses unknown fields. fabric8's model classes keep unknown
 * fields in {@code additionalProperties} (a Jackson any-setter), so FAIL_ON_UNKNOWN_PROPERTIES alone never fires;
 * this mapper removes the any-setter, and a misspelt field fails with its class and the known names.
 */
public final class StrictNetworkPolicy {

    private static final ObjectMapper STRICT = strict();

    private StrictNetworkPolicy() {
    }

    private static ObjectMapper strict() {
        SimpleModule noAnySetter = new SimpleModule("picket-strict");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .registerModule(noAnySetter);
    }

    public static NetworkPolicy read(String yaml) {
        try {
            NetworkPolicy policy = STRICT.readValue(yaml, NetworkPolicy.class);
            if (!"networking.k8s.io/v1".equals(policy.getApiVersion()) || !"NetworkPolicy".equals(policy.getKind())) {
                throw new IllegalArgumentException("not a networking.k8s.io/v1 NetworkPolicy: " + policy.getApiVersion()
                        + " " + policy.getKind());
            }
            return policy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
