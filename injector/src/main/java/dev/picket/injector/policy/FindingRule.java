package dev.picket.injector.policy;

/**
 * Why the injector's admission policies object to a pod. The code is stable: it is the {@code rule} label of
 * {@code picket_injector_policy_findings_total}, it appears in brackets in every warning and denial, and
 * docs/injector.md lists it with this sentence.
 */
public enum FindingRule {
    IMAGE_REFERENCE("image_reference", "A container's image is not a valid image reference, so no image rule can be checked."),
    IMAGE_REPOSITORY("image_repository", "A container's image comes from no repository that spec.images.allow lists."),
    IMAGE_DIGEST("image_digest", "A container's image is not pinned by an @sha256: digest (spec.images.requireDigest)."),
    IMAGE_TAG("image_tag", "A container's image runs by a tag that spec.images.denyTags lists (no tag and no digest is latest)."),
    PRIVILEGED("privileged", "A container is privileged: it has every capability and the node's devices, and can stop or blind Picket."),
    HOST_PID("host_pid", "The pod shares the node's process namespace (hostPID: true)."),
    HOST_NETWORK("host_network", "The pod uses the node's network namespace (hostNetwork: true)."),
    HOST_IPC("host_ipc", "The pod shares the node's IPC namespace (hostIPC: true)."),
    HOST_PATH_VOLUME("host_path_volume", "A hostPath volume puts a directory of the node into the pod."),
    ADDED_CAPABILITIES("added_capabilities", "A container adds capabilities beyond the allowed set (Pod Security baseline without KILL and SETUID)."),
    PRIVILEGE_ESCALATION("privilege_escalation", "A container sets allowPrivilegeEscalation: true."),
    SIDECAR_UID("sidecar_uid", "A container runs as the sidecar's UID, so it can signal or trace Picket."),
    PROFILE_UNRESOLVED("profile_unresolved", "The WorkloadProfile that governs the pod cannot be resolved, so its image policy and pod-security mode are unknown.");

    private final String code;
    private final String sentence;

    FindingRule(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    public String code() {
        return code;
    }

    public String sentence() {
        return sentence;
    }

    public boolean isImageRule() {
        return this == IMAGE_REFERENCE || this == IMAGE_REPOSITORY || this == IMAGE_DIGEST || this == IMAGE_TAG;
    }
}
