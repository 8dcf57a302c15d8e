package dev.picket.observe;

/** The socket tables Picket reads. */
public enum Transport {
    TCP, UDP, RAW, PACKET, UNIX;

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
