package dev.picket.floor;

import io.quarkus.scheduler.Scheduled;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import java.util.concurrent.atomic.AtomicLong;

/** A scheduled no-op every second, as the sidecar's scan loop is scheduled, and one endpoint. */
@Path("/ticks")
public class Floor {

    private final AtomicLong ticks = new AtomicLong();

    @Scheduled(every = "1s")
    void tick() {
        ticks.incrementAndGet();
    }

    @GET
    public long ticks() {
        return ticks.get();
    }
}
