package dev.picket.api;

import dev.picket.config.PicketConfig;
import dev.picket.respond.StateDir;
import io.quarkus.arc.DefaultBean;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Local mode: one bearer token in a file only its owner can read. Created with 256 random bits when
 * absent; its path is logged, never its content. A file others can read is refused (every call gets 401
 * saying why) rather than trusted. Tokens are compared through their SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the comparison takes the same time whatever matches.
 */
@ApplicationScoped
@DefaultBean
@io.quarkus.runtime.Startup
public class LocalTokenAuthorizer implements ControlAuthorizer {

    private final byte[] digest;
    private final String problem;
    private final Path file;

    @Inject
    public LocalTokenAuthorizer(PicketConfig config) {
        this.file = config.control().tokenFile().orElse(config.state().dir().resolve("control-token"));
        byte[] d = null;
        String p = null;
        try {
            if (!Files.exists(file)) {
                create(file);
                Log.infof("created the control token in %s (readable only by this user)", file);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
                p = "the token file " + file + " is accessible to other users (" + PosixFilePermissions.toString(perms)
                        + "); make it readable only by its owner (chmod 600)";
            } else {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (token.length() < 16) {
                    p = "the token in " + file + " is shorter than 16 characters";
                } else {
                    d = sha256(token);
                }
            }
        } catch (IOException e) {
            p = "the token file " + file + " cannot be read or created: " + e.getMessage();
        }
        if (p != null) {
            Log.errorf("control endpoint locked: %s", p);
        }
        this.digest = d;
        this.problem = p;
    }

    private static void create(Path file) throws IOException {
        StateDir.ensure(file.toAbsolutePath().getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public Path file() {
        return file;
    }

    @Override
    public Decision authorize(String bearerToken, Operation operation) {
        if (digest == null) {
            return Decision.unauthenticated("the control endpoint is locked: " + problem);
        }
        if (MessageDigest.isEqual(digest, sha256(bearerToken))) {
            return Decision.allow("local token holder");
        }
        return Decision.unauthenticated("the bearer token is not valid");
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
