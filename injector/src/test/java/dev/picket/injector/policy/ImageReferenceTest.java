package dev.picket.injector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Image references as Docker and the kubelet read them: registry, Docker Hub defaults, tag, digest. */
class ImageReferenceTest {

    private static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            nginx                                     | docker.io/library/nginx              | -            | latest
            nginx:1.27                                | docker.io/library/nginx              | 1.27         | 1.27
            library/nginx:1.27                        | docker.io/library/nginx              | 1.27         | 1.27
            bitnami/redis:7                           | docker.io/bitnami/redis              | 7            | 7
            docker.io/nginx                           | docker.io/library/nginx              | -            | latest
            index.docker.io/library/nginx             | docker.io/library/nginx              | -            | latest
            index.docker.io/bitnami/redis             | docker.io/bitnami/redis              | -            | latest
            registry.example.com/team/app:2.1         | registry.example.com/team/app        | 2.1          | 2.1
            registry.example.com:5000/team/app        | registry.example.com:5000/team/app   | -            | latest
            localhost/app:dev                         | localhost/app                        | dev          | dev
            localhost:5000/app                        | localhost:5000/app                   | -            | latest
            Registry.Example.com/app                  | registry.example.com/app             | -            | latest
            10.0.0.1:5000/a/b/c_d/e-f:v1.0_rc-1       | 10.0.0.1:5000/a/b/c_d/e-f            | v1.0_rc-1    | v1.0_rc-1
            [::1]:5000/app:1                          | [::1]:5000/app                       | 1            | 1
            gcr.io/distroless/static:nonroot          | gcr.io/distroless/static             | nonroot      | nonroot
            team/app__x.y--z                          | docker.io/team/app__x.y--z           | -            | latest
            """)
    void normalisesTheRepositoryAndReadsTheTag(String image, String repository, String tag, String effectiveTag) {
        ImageReference ref = ImageReference.parse(image);
        assertEquals(repository, ref.repository());
        assertEquals(Optional.ofNullable(tag), ref.tag());
        assertEquals(Optional.ofNullable(effectiveTag), ref.effectiveTag());
        assertEquals(false, ref.pinned());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            nginx@SHA                                  | docker.io/library/nginx            | -
            nginx:1.27@SHA                             | docker.io/library/nginx            | 1.27
            registry.example.com:5000/app:latest@SHA   | registry.example.com:5000/app      | latest
            """)
    void aDigestPinsTheImageAndMakesTheTagALabel(String image, String repository, String tag) {
        ImageReference ref = ImageReference.parse(image.replace("SHA", SHA));
        assertEquals(repository, ref.repository());
        assertEquals(Optional.ofNullable(tag), ref.tag());
        assertEquals(Optional.of(SHA), ref.digest());
        assertEquals(true, ref.pinned());
        assertEquals(Optional.empty(), ref.effectiveTag(), "the digest decides what runs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | the image is empty
            'nginx '                                  | the image contains whitespace or a character outside ASCII
            nginx:                                    | the tag "" is not a valid tag (letters, digits, _ . -, not starting with . or -, at most 128 characters)
            nginx:-1                                  | the tag "-1" is not a valid tag (letters, digits, _ . -, not starting with . or -, at most 128 characters)
            Nginx                                     | "Nginx" is not a valid repository path component (lower-case letters and digits, separated by . _ __ or -)
            registry.example.com/Team/app             | "Team" is not a valid repository path component (lower-case letters and digits, separated by . _ __ or -)
            registry.example.com//app                 | the repository path has an empty component
            registry.example.com/app/                 | the repository path has an empty component
            registry.example.com:99999/app            | the registry port "99999" is not a port number
            registry.example.com:abc/app              | the registry port "abc" is not a port number
            -bad.example.com/app                      | the registry "-bad.example.com" is not a valid host
            nginx@sha256:abc                          | a sha256 digest has exactly 64 lower-case hexadecimal digits
            nginx@sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF | a sha256 digest has exactly 64 lower-case hexadecimal digits
            nginx@latest                              | the digest "latest" is not algorithm:hex
            :1.0                                      | the image has no repository name
            a__-b                                     | "a__-b" is not a valid repository path component (lower-case letters and digits, separated by . _ __ or -)
            """)
    void refusesWhatIsNoImageReferenceWithTheReason(String image, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(image)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void boundsTheLengthBeforeParsing() {
        assertEquals("the repository name is longer than 255 characters", assertThrows(IllegalArgumentException.class,
                () -> ImageReference.parse("registry.example.com/" + "a".repeat(250))).getMessage());
        assertEquals("the image is longer than 4096 characters", assertThrows(IllegalArgumentException.class,
                () -> ImageReference.parse("a".repeat(5000))).getMessage());
        assertEquals("docker.io/library/nginx:1.27@" + SHA, ImageReference.parse("nginx:1.27@" + SHA).toString());
    }
}
