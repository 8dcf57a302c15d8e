package dev.picket.observe;

import java.util.List;
import java.util.Map;

/**
 * What Picket could not see in a scan and why, so a blind spot is reported instead of looking like
 * a quiet workload.
 */
public record Visibility(List<String> effectiveCapabilities, Map<String, Integer> unavailableByField,
        List<String> notes) {
}
