package dev.picket.observe;

import java.util.Arrays;

/**
 * A map from socket inode (never 0) to a value, with open addressing: a steady namespace of twenty thousand
 * sockets looks up and stores every row on every scan, and a {@code HashMap<Long, ...>} would box the key
 * and allocate a node for each of them.
 */
final class InodeMap<V> {

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    InodeMap() {
        this(64);
    }

    InodeMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        if (key == 0) {
            return null;
        }
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    void put(long key, V value) {
        if (key == 0) {
            throw new IllegalArgumentException("inode 0");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    /** Empties the map, shrinking it when it had grown far beyond what it held. */
    void clear() {
        if (keys.length > 64 && size * 8 < keys.length) {
            int capacity = Integer.highestOneBit(Math.max(16, size * 4 - 1)) << 1;
            keys = new long[capacity];
            values = new Object[capacity];
            mask = capacity - 1;
        } else {
            Arrays.fill(keys, 0);
            Arrays.fill(values, null);
        }
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                reinsert(oldKeys[j], oldValues[j]);
            }
        }
    }

    private void reinsert(long key, Object value) {
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }
}
