package dev.picket.api;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Calls to the control endpoint of the sidecar under test, with the token Picket created. */
public final class Control {

    /** The management interface of the application under test; its port is chosen at start (test-port 0). */
    public static String management() {
        return "http://localhost:" + org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.management.test-port", Integer.class);
    }
    static final Path STATE = Path.of("target/picket-test-state");

    private Control() {
    }

    static String token() {
        try {
            return Files.readString(STATE.resolve("control-token")).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Picket did not create its token file", e);
        }
    }

    static RequestSpecification authed() {
        return RestAssured.given().header("Authorization", "Bearer " + token());
    }
}
