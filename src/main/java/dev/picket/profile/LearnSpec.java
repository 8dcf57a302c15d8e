package dev.picket.profile;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/** {@code spec.learn}: after learning for {@code duration}, switch to {@code then}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"duration", "then"})
public class LearnSpec {

    @JsonPropertyDescription("Go-style duration (10m, 1h30m), 1s to 2160h. Absent: learn until the mode is changed.")
    @Size(max = 64)
    @Pattern(WorkloadProfileSchema.DURATION)
    private String duration;

    @JsonProperty(defaultValue = "monitor")
    @JsonPropertyDescription("monitor | enforce: the mode after the learning duration. Absent: monitor.")
    private Mode then;

    public LearnSpec() {
    }

    public LearnSpec(String duration, Mode then) {
        this.duration = duration;
        this.then = then;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public Mode getThen() {
        return then;
    }

    public void setThen(Mode then) {
        this.then = then;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnSpec l && Objects.equals(duration, l.duration) && then == l.then;
    }

    @Override
    public int hashCode() {
        return Objects.hash(duration, then);
    }

    @Override
    public String toString() {
        return "LearnSpec{duration=" + duration + ", then=" + then + "}";
    }
}
