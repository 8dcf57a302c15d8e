package dev.picket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The injector's webhook under open-loop load at 200 and 1 000 AdmissionReviews per second, over loopback
 * HTTPS in a network namespace of its own (so its fixed ports collide with nothing), with a self-signed
 * certificate made by openssl.
 */
final class InjectorSection {

    /**
     * The injector's Deployment limits (manifests/base/injector/deployment.yaml: memory 384Mi, CPU 1),
     * emulated without a container; the injector has no image flags of its own, so these are its JVM's.
     */
    static final List<String> FLAGS = List.of("-XX:MaxRAM=384m", "-XX:ActiveProcessorCount=1");

    /** Requests in flight at most, and so HTTP/1.1 connections. */
    static final int CONNECTIONS = 32;

    private InjectorSection() {
    }

    static JsonNode run(Ctx ctx, Path app) throws Exception {
        Path jar = app.resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the injector is not built: " + jar + " (bench/run.sh builds it)");
        }
        Path dir = SidecarSection.fresh(ctx.work().resolve("injector"));
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=picket-injector.picket-system.svc", "-addext",
                "subjectAltName=DNS:picket-injector.picket-system.svc,DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (openssl.waitFor() != 0) {
            throw new IllegalStateException("openssl failed; see " + dir.resolve("openssl.log"));
        }
        ObjectNode req = Bench.JSON.createObjectNode();
        req.put("java", ctx.java().toString());
        req.put("jar", jar.toString());
        req.putPOJO("flags", FLAGS);
        req.put("log", dir.resolve("injector.log").toString());
        ObjectNode props = req.putObject("props");
        props.put("picket.injector.tls.mode", "mounted");
        props.put("picket.injector.tls.cert-file", cert.toString());
        props.put("picket.injector.tls.key-file", key.toString());
        props.put("picket.injector.namespace", "picket-system");
        req.put("certFile", cert.toString());
        req.put("fixture", ctx.repo().resolve("injector/src/test/resources/admission/replicaset-pod-create.json").toString());
        req.putPOJO("rates", List.of(200, 1000));
        req.put("connections", CONNECTIONS);
        req.put("warmupSeconds", ctx.quick() ? 5 : 20);
        req.put("seconds", ctx.quick() ? 10 : 60);
        Path reqFile = dir.resolve("request.json");
        Path resFile = dir.resolve("result.json");
        Files.writeString(reqFile, Bench.JSON.writeValueAsString(req));
        try (BenchSandbox sandbox = BenchSandbox.start("sleep 100000 &\nwait\n", ctx.log("injector-sandbox"))) {
            sandbox.run(ctx.javaMain(List.of("-XX:+UseSerialGC", "-Xmx512m"), InjectorLoadMain.class.getName(),
                    reqFile.toString(), resFile.toString()), dir.resolve("load.log"), 1200);
        }
        ObjectNode r = (ObjectNode) Bench.JSON.readTree(resFile.toFile());
        r.putPOJO("injectorFlags", FLAGS);
        r.put("fixture", "injector/src/test/resources/admission/replicaset-pod-create.json, labelled picket.dev/inject=true");
        return r;
    }
}
