package dev.picket.hardening;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The sidecar with tight limits, so abuse is cheap to provoke: 1 000 failed authentications a minute (the other tests' anonymous calls stay
 * below), 2 s for a body,
 * 12 connections on the control port. Its own state directory under the build directory; random ports.
 */
public class AbuseProfile implements QuarkusTestProfile {

    static final int MAX_FAILURES = 1000;
    static final int MAX_CONNECTIONS = 12;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.test-port", "0",
                "quarkus.management.test-port", "0",
                "picket.state.dir", BuildDir.fresh("hardening-abuse-state").toString(),
                "picket.control.max-auth-failures-per-minute", Integer.toString(MAX_FAILURES),
                "quarkus.http.read-timeout", "2s",
                "quarkus.http.limits.max-connections", Integer.toString(MAX_CONNECTIONS));
    }
}
