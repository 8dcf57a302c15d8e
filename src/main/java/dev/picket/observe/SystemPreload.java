package dev.picket.observe;

import java.util.List;

/**
 * A non-empty /etc/ld.so.preload in a watched mount namespace: the libraries it names are loaded into
 * every program started there, without any environment variable to show for it.
 */
public record SystemPreload(long mntNamespace, int seenThroughPid, List<String> libraries) {
}
