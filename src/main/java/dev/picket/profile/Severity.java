package dev.picket.profile;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How bad a finding is; ordered from least to most severe. */
@RegisterForReflection
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL
}
