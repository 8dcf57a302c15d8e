package dev.picket.api;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Calls to the control endpoint of the sidecar under test, with the token Picket created. */
final class Control {

    static final String MANAGEMENT = "http://localhost:18789";
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
