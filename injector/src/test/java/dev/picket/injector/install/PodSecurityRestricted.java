package dev.picket.injector.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The Pod Security Standards' `restricted` profile (which includes `baseline`), field by field as the
 * standard lists them, for a pod spec as written (before the API server's defaults).
 */
final class PodSecurityRestricted {

    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    private PodSecurityRestricted() {
    }

    static List<String> problems(PodSpec pod) {
        List<String> problems = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        // baseline: host namespaces
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            problems.add("host namespaces (hostNetwork, hostPID, hostIPC) must not be used");
        }
        // baseline: sysctls
        if (podContext.getSysctls() != null) {
            podContext.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> problems.add("sysctl " + s.getName() + " is not in the safe set"));
        }
        // restricted: volume types
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            boolean allowed = volume.getConfigMap() != null || volume.getCsi() != null || volume.getDownwardAPI() != null
                    || volume.getEmptyDir() != null || volume.getEphemeral() != null
                    || volume.getPersistentVolumeClaim() != null || volume.getProjected() != null
                    || volume.getSecret() != null;
            if (!allowed) {
                problems.add("volume " + volume.getName() + " is of a type restricted does not allow (hostPath and others)");
            }
        }
        boolean podNonRoot = Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        boolean podSeccomp = seccompOk(podContext.getSeccompProfile());
        if (podContext.getSeccompProfile() != null && !podSeccomp) {
            problems.add("pod seccompProfile must be RuntimeDefault or Localhost");
        }
        if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
            problems.add("pod runAsUser must not be 0");
        }
        List<Container> containers = Stream.of(pod.getInitContainers(), pod.getContainers())
                .filter(java.util.Objects::nonNull).flatMap(List::stream).toList();
        for (Container c : containers) {
            String where = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                problems.add(where + "privileged");
            }
            if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
                problems.add(where + "procMount must be Default");
            }
            for (ContainerPort port : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() != 0) {
                    problems.add(where + "hostPort " + port.getHostPort());
                }
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                problems.add(where + "allowPrivilegeEscalation must be false");
            }
            if (!(podNonRoot || Boolean.TRUE.equals(sc.getRunAsNonRoot())) || Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
                problems.add(where + "runAsNonRoot must be true (pod or container)");
            }
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                problems.add(where + "runAsUser must not be 0");
            }
            if (sc.getSeccompProfile() != null ? !seccompOk(sc.getSeccompProfile()) : !podSeccomp) {
                problems.add(where + "seccompProfile must be RuntimeDefault or Localhost (pod or container)");
            }
            Capabilities caps = sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                problems.add(where + "capabilities must drop ALL");
            }
            if (caps != null && caps.getAdd() != null
                    && caps.getAdd().stream().anyMatch(cap -> !"NET_BIND_SERVICE".equals(cap))) {
                problems.add(where + "capabilities may add only NET_BIND_SERVICE, adds " + caps.getAdd());
            }
        }
        return problems;
    }

    private static boolean seccompOk(SeccompProfile profile) {
        return profile != null && ("RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType()));
    }
}
