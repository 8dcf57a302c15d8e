package dev.picket.injector.manifest;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/** The manifests {@code POST /v1/inject} understands, and where each keeps its pod (template). */
enum WorkloadKind {
    POD("v1", "Pod", ""),
    DEPLOYMENT("apps/v1", "Deployment", "/spec/template"),
    STATEFUL_SET("apps/v1", "StatefulSet", "/spec/template"),
    DAEMON_SET("apps/v1", "DaemonSet", "/spec/template"),
    REPLICA_SET("apps/v1", "ReplicaSet", "/spec/template"),
    JOB("batch/v1", "Job", "/spec/template"),
    CRON_JOB("batch/v1", "CronJob", "/spec/jobTemplate/spec/template");

    private final String apiVersion;
    private final String kind;
    private final JsonPointer podPath;

    WorkloadKind(String apiVersion, String kind, String podPath) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.podPath = JsonPointer.compile(podPath);
    }

    JsonPointer podPath() {
        return podPath;
    }

    static Optional<WorkloadKind> of(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        return Arrays.stream(values()).filter(w -> w.apiVersion.equals(apiVersion) && w.kind.equals(kind)).findFirst();
    }
}
