package dev.picket.observe;

/**
 * Reads 16 bytes at an address of another process with {@link ProcessMemory} and prints the outcome
 * ({@code outcome=READ} and so on), from a JVM the test starts as another UID.
 */
public final class ProcessMemoryReadMain {

    public static void main(String[] args) {
        ProcessMemory memory = ProcessMemory.open();
        if (memory == null) {
            System.out.println("unavailable=" + ProcessMemory.UNAVAILABLE);
            return;
        }
        ProcessMemory.Outcome o = memory.read(Integer.parseInt(args[0]), Long.parseLong(args[1]), new byte[16], 0, 16);
        System.out.println("outcome=" + o);
        System.out.println("count=" + memory.count);
    }
}
