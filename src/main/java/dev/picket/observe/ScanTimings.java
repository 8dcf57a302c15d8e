package dev.picket.observe;

/**
 * Where a scan's time went, in milliseconds: reading every stat, the details of new, changed and due
 * processes, the socket tables, and the search for owners of new sockets. Exposed so that a slow scan
 * in production can be explained, and used by the benchmark.
 */
public record ScanTimings(double statsMs, double detailsMs, double socketTablesMs, double ownersMs) {
}
