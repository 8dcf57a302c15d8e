package dev.picket.injector.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, parsed and normalised the way Docker and the kubelet read it: the registry is the
 * first path component only when it looks like a host (has a {@code .} or a {@code :port}, is {@code localhost},
 * or has upper-case letters), otherwise {@code docker.io}; {@code index.docker.io} is {@code docker.io}; a Docker Hub
 * image without a namespace is in {@code library/}. Grammar of the distribution project's reference package.
 *
 * @param registry   host, with {@code :port} when given ({@code docker.io}, {@code registry.example.com:5000})
 * @param path       repository path inside the registry ({@code library/nginx})
 * @param tag        the tag as written, if any
 * @param digest     {@code algorithm:hex} as written, if any
 */
public record ImageReference(String registry, String path, Optional<String> tag, Optional<String> digest) {

    public static final String DOCKER_HUB = "docker.io";
    /** Longest repository name (registry and path) the distribution spec allows. */
    static final int MAX_NAME_LENGTH = 255;
    /** Longest image string read at all; anything longer is refused before parsing. */
    static final int MAX_REFERENCE_LENGTH = 4096;

    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*");
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern HEX = Pattern.compile("[a-fA-F0-9]{32,}");

    /** The full repository name: {@code registry/path}, what repository patterns are matched against. */
    public String repository() {
        return registry + "/" + path;
    }

    /** Pinned by a {@code sha256} digest (64 lower-case hex digits, checked when parsed). */
    public boolean pinned() {
        return digest.filter(d -> d.startsWith("sha256:")).isPresent();
    }

    /**
     * The tag the runtime pulls by: none when the image has a digest (the digest decides, a tag next to it is only a
     * label), the written tag, else {@code latest}.
     */
    public Optional<String> effectiveTag() {
        if (digest.isPresent()) {
            return Optional.empty();
        }
        return tag.isPresent() ? tag : Optional.of("latest");
    }

    /**
     * Parses {@code image} as a pod's {@code image} field.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static ImageReference parse(String image) {
        if (image == null || image.isEmpty()) {
            throw new IllegalArgumentException("the image is empty");
        }
        if (image.length() > MAX_REFERENCE_LENGTH) {
            throw new IllegalArgumentException("the image is longer than " + MAX_REFERENCE_LENGTH + " characters");
        }
        for (int i = 0; i < image.length(); i++) {
            char c = image.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("the image contains whitespace or a character outside ASCII");
            }
        }
        String rest = image;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(digest(rest.substring(at + 1)));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("the tag \"" + t + "\" is not a valid tag (letters, digits, _ . -,"
                        + " not starting with . or -, at most 128 characters)");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("the image has no repository name");
        }
        if (rest.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String registry;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
            registry = registry(first);
            path = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            path = rest;
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException(component.isEmpty()
                        ? "the repository path has an empty component"
                        : "\"" + component + "\" is not a valid repository path component (lower-case letters and"
                                + " digits, separated by . _ __ or -)");
            }
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static String registry(String domain) {
        String host = domain;
        int colon = domain.lastIndexOf(':');
        if (colon >= 0 && domain.indexOf(']') < colon) {
            String port = domain.substring(colon + 1);
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("the registry port \"" + port + "\" is not a port number");
            }
            host = domain.substring(0, colon);
        }
        boolean valid = IPV6.matcher(host).matches();
        if (!valid) {
            valid = !host.isEmpty();
            for (String component : host.split("\\.", -1)) {
                valid &= DOMAIN_COMPONENT.matcher(component).matches();
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("the registry \"" + domain + "\" is not a valid host");
        }
        return domain.toLowerCase(java.util.Locale.ROOT);
    }

    private static String digest(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the digest \"" + digest + "\" is not algorithm:hex");
        }
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        if (algorithm.equals("sha256")) {
            if (!SHA256.matcher(hex).matches()) {
                throw new IllegalArgumentException("a sha256 digest has exactly 64 lower-case hexadecimal digits");
            }
        } else if (!ALGORITHM.matcher(algorithm).matches() || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("the digest \"" + digest + "\" is not algorithm:hex");
        }
        return digest;
    }

    /** The reference in its normalised form: {@code docker.io/library/nginx:1.27@sha256:...}. */
    @Override
    public String toString() {
        return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
