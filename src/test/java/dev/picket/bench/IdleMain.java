package dev.picket.bench;

/** The JVM's own floor: a main that does nothing but wait, started with the sidecar's flags. */
public final class IdleMain {

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
