package dev.picket.observe;

import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shortcuts that make a steady scan cheap must answer what the long way answers. */
class ScanShortcutsTest {

    @Test
    void inodeMapAnswersLikeAHashMapThroughGrowthAndClears() {
        InodeMap<String> map = new InodeMap<>();
        Map<Long, String> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(8);
        for (int round = 0; round < 4; round++) {
            int n = round == 2 ? 10 : 30_000;
            for (int i = 0; i < n; i++) {
                long key = 1 + random.nextLong(1L << 32);
                map.put(key, "v" + key);
                reference.put(key, "v" + key);
            }
            assertThat(map.size()).isEqualTo(reference.size());
            for (Map.Entry<Long, String> e : reference.entrySet()) {
                assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
            }
            for (int i = 0; i < 1000; i++) {
                long key = 1 + random.nextLong(1L << 32);
                assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            map.clear();
            reference.clear();
            assertThat(map.get(1)).isNull();
        }
        assertThat(map.get(0)).isNull();
        assertThatThrownBy(() -> map.put(0, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSizeOfAnFdDirectoryIsItsNumberOfFds() throws Exception {
        Host.requireLinux();
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            Path fd = Path.of("/proc", Long.toString(p.pid()), "fd");
            int size = ProcFiles.directorySize(fd);
            String[] names = fd.toFile().list();
            assertThat(names).isNotNull();
            // Linux 6.2 and later; before, the size is 0 and the scanner lists the directory instead
            if (size != 0) {
                assertThat(size).isEqualTo(names.length);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
