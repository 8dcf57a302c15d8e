package dev.picket.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/** Which API-server failures are worth retrying, and a short description of any failure for logs and Events. */
final class ApiFailures {

    private ApiFailures() {
    }

    /**
     * Retry when the server could not be reached or answered "later": no HTTP status (connection refused, reset,
     * timeout), 408, 429, 5xx. A 409 is retried too: the caller re-reads and re-applies. Anything else (400, 401,
     * 403, 404, 422) will fail the same way again.
     */
    static boolean retryable(Throwable t) {
        KubernetesClientException k = find(t, KubernetesClientException.class);
        if (k != null) {
            int code = k.getCode();
            return code <= 0 || code == 408 || code == 409 || code == 429 || code >= 500;
        }
        return find(t, IOException.class) != null || find(t, TimeoutException.class) != null
                || find(t, InterruptedIOException.class) != null || t instanceof IllegalStateException;
    }

    static int code(Throwable t) {
        KubernetesClientException k = find(t, KubernetesClientException.class);
        return k == null ? 0 : k.getCode();
    }

    /** "HTTP 403: pods is forbidden ..." or "connection failed: ..."; one line, bounded. */
    static String describe(Throwable t) {
        KubernetesClientException k = find(t, KubernetesClientException.class);
        String text;
        if (k != null && k.getCode() > 0) {
            String msg = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                    : k.getMessage();
            text = "HTTP " + k.getCode() + ": " + msg;
        } else {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = "API server unreachable: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
