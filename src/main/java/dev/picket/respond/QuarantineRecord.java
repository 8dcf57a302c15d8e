package dev.picket.respond;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** Why and when the pod was quarantined; persisted so that a restarted Picket comes back quarantined. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuarantineRecord(String reason, Instant time, String violationId, String rule, String requestedBy) {
}
