package dev.picket.observe;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One watched process as one scan saw it. Fields Picket could not read are null (or -1 for numbers) and
 * named in {@code unavailable} with the reason ("permission", "vanished").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessSample(
        int pid,
        int ppid,
        String comm,
        char state,
        Instant started,
        long startTicks,
        Ids uid,
        Ids gid,
        Executable exe,
        String parentExe,
        Argv argv,
        int tracerPid,
        int ttyNr,
        int threads,
        int openFds,
        List<StdioSocket> stdioSockets,
        Namespaces namespaces,
        Set<EnvMarkers.Marker> envMarkers,
        long cpuTicks,
        double cpuCores,
        long rssBytes,
        long readBytes,
        long writeBytes,
        Instant firstSeen,
        long execCount,
        Map<String, String> unavailable) {
}
