package dev.picket.observe;

/** Resource use summed over the watched processes. */
public record Totals(int processes, int threads, int openFds, double cpuCores, long rssBytes) {
}
