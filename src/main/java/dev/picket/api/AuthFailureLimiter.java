package dev.picket.api;

import dev.picket.config.PicketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;

/**
 * Brute-force brake: past {@code picket.control.max-auth-failures-per-minute} failed authentications in
 * a minute, every call is refused with 429 until the minute ends, without looking at its token, so
 * guessing gains nothing. The price is that an attacker inside the pod can lock the operator out for a
 * minute; the tokens are 256 random bits, so the brake is about noise more than odds.
 */
@ApplicationScoped
public class AuthFailureLimiter {

    @Inject
    PicketConfig config;
    @Inject
    Clock clock;

    private long windowStart;
    private int failures;

    public synchronized boolean locked() {
        roll();
        return failures >= config.control().maxAuthFailuresPerMinute();
    }

    public synchronized void failed() {
        roll();
        failures++;
    }

    public synchronized long secondsLeft() {
        return Math.max(1, (windowStart + 60_000 - clock.millis()) / 1000);
    }

    private void roll() {
        long now = clock.millis();
        if (now - windowStart >= 60_000) {
            windowStart = now;
            failures = 0;
        }
    }
}
