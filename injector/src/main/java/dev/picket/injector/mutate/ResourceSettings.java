package dev.picket.injector.mutate;

/** Requests and limits of the sidecar, as Kubernetes quantities. */
public record ResourceSettings(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
}
