package dev.picket.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.List;

/** The least a /proc scan must do, without parsing or keeping anything. */
final class Floor {

    private static final List<String> TABLES = List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "packet", "unix");

    private Floor() {
    }

    /**
     * Opens and reads every /proc/PID/stat and every /proc/net socket table once; returns milliseconds: the
     * total, the stats, the tables.
     */
    static double[] procFloor() {
        byte[] buf = new byte[1 << 16];
        long t0 = System.nanoTime();
        String[] names = new java.io.File("/proc").list();
        for (String n : names) {
            if (!Character.isDigit(n.charAt(0))) {
                continue;
            }
            try (var in = new FileInputStream("/proc/" + n + "/stat")) {
                in.read(buf);
            } catch (IOException e) {
                // exited meanwhile
            }
        }
        long t1 = System.nanoTime();
        for (String t : TABLES) {
            try (var in = new FileInputStream("/proc/net/" + t)) {
                while (in.read(buf) > 0) {
                    // read to the end; content unused
                }
            } catch (IOException e) {
                // table absent
            }
        }
        long t2 = System.nanoTime();
        return new double[] {ScanBenchMain.ms(t2 - t0), ScanBenchMain.ms(t1 - t0), ScanBenchMain.ms(t2 - t1)};
    }
}
