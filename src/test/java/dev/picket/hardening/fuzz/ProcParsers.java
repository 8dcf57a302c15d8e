package dev.picket.hardening.fuzz;

import dev.picket.observe.Argv;
import dev.picket.observe.EnvMarkers;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The /proc parsers of {@code dev.picket.observe}, reached from the fuzz targets. They are package-private (the
 * scanner is their only caller) and that package is not this suite's to change, so they are called through
 * method handles; a renamed parser fails here, at class initialisation, with the name it looked for.
 */
final class ProcParsers {

    private static final MethodHandles.Lookup OBSERVE;
    private static final MethodHandle STAT;
    private static final MethodHandle STAT_COMM;
    private static final MethodHandle STATUS;
    private static final MethodHandle ARGV;
    private static final MethodHandle ENV;
    private static final MethodHandle TABLES;
    private static final MethodHandle BEGIN;
    private static final MethodHandle INET;
    private static final MethodHandle UNIX;
    private static final MethodHandle PACKET;
    private static final Field ROW_SAMPLE;

    static {
        try {
            Class<?> statParser = Class.forName("dev.picket.observe.StatParser");
            OBSERVE = MethodHandles.privateLookupIn(statParser, MethodHandles.lookup());
            Class<?> statFields = Class.forName("dev.picket.observe.StatFields");
            Class<?> statusFields = Class.forName("dev.picket.observe.StatusFields");
            Class<?> tables = Class.forName("dev.picket.observe.SocketTables");
            Class<?> row = Class.forName("dev.picket.observe.SocketTables$Row");
            STAT = OBSERVE.findStatic(statParser, "parse", MethodType.methodType(statFields, byte[].class, int.class));
            STAT_COMM = OBSERVE.findVirtual(statFields, "comm", MethodType.methodType(String.class));
            STATUS = OBSERVE.findStatic(Class.forName("dev.picket.observe.StatusParser"), "parse",
                    MethodType.methodType(statusFields, byte[].class, int.class));
            ARGV = OBSERVE.findStatic(Argv.class, "parse", MethodType.methodType(Argv.class, byte[].class, int.class,
                    boolean.class));
            ENV = OBSERVE.findStatic(EnvMarkers.class, "scan", MethodType.methodType(Set.class, Path.class, byte[].class));
            TABLES = OBSERVE.findConstructor(tables, MethodType.methodType(void.class, long.class));
            BEGIN = OBSERVE.findVirtual(tables, "begin", MethodType.methodType(void.class));
            INET = OBSERVE.findVirtual(tables, "parseInet", MethodType.methodType(void.class, byte[].class, int.class,
                    Transport.class, int.class, List.class));
            UNIX = OBSERVE.findVirtual(tables, "parseUnix", MethodType.methodType(void.class, byte[].class, int.class,
                    List.class));
            PACKET = OBSERVE.findVirtual(tables, "parsePacket", MethodType.methodType(void.class, byte[].class, int.class,
                    List.class));
            ROW_SAMPLE = row.getDeclaredField("sample");
            ROW_SAMPLE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("the /proc parsers changed shape; update ProcParsers: " + e);
        }
    }

    private ProcParsers() {
    }

    /** The comm of a parsed /proc/PID/stat; the parser refuses a malformed one with IllegalArgumentException. */
    static String statComm(byte[] b, int len) {
        return (String) call(() -> STAT_COMM.invoke(STAT.invoke(b, len)));
    }

    /** /proc/PID/status, as its record's text form (uid, gid, tracer, capabilities). */
    static String status(byte[] b, int len) {
        return String.valueOf(call(() -> STATUS.invoke(b, len)));
    }

    static Argv argv(byte[] b, int len, boolean truncated) {
        return (Argv) call(() -> ARGV.invoke(b, len, truncated));
    }

    @SuppressWarnings("unchecked")
    static Set<EnvMarkers.Marker> environ(Path file) {
        return (Set<EnvMarkers.Marker>) call(() -> ENV.invoke(file, new byte[8192]));
    }

    /** Socket tables of one namespace, parsed scan after scan as the scanner does. */
    static final class Tables {
        private final Object tables = call(() -> TABLES.invoke(4026531840L));

        List<SocketSample> inet(byte[] b, int len, Transport transport, int family) {
            return scan(rows -> INET.invoke(tables, b, len, transport, family, rows));
        }

        List<SocketSample> unix(byte[] b, int len) {
            return scan(rows -> UNIX.invoke(tables, b, len, rows));
        }

        List<SocketSample> packet(byte[] b, int len) {
            return scan(rows -> PACKET.invoke(tables, b, len, rows));
        }

        private List<SocketSample> scan(Parse parse) {
            List<Object> rows = new ArrayList<>();
            call(() -> {
                BEGIN.invoke(tables);
                parse.into(rows);
                return null;
            });
            List<SocketSample> samples = new ArrayList<>(rows.size());
            for (Object row : rows) {
                try {
                    samples.add((SocketSample) ROW_SAMPLE.get(row));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            return samples;
        }
    }

    @FunctionalInterface
    private interface Parse {
        void into(List<Object> rows) throws Throwable;
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    /** Runs a handle; what the parser throws is rethrown unchanged, so a fuzz target sees the real exception. */
    private static Object call(Call c) {
        try {
            return c.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("checked exception from a parser", t);
        }
    }
}
