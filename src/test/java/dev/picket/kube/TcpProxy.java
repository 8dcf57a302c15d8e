package dev.picket.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the mock API server, so tests can take "the API server" away and bring it back at
 * the same address: {@link #down()} closes the listening socket and every open connection (clients then get
 * "connection refused", as from a dead API server), {@link #up()} listens again on the same port.
 */
final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile long latencyMillis;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket s = null;
        // below the kernel's ephemeral range (32768 and up by default), so while the relay is down no outgoing
        // connection is given its port and up() can listen on it again
        for (int attempt = 0; s == null; attempt++) {
            int candidate = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10000);
            try {
                s = bind(candidate);
            } catch (IOException e) {
                if (attempt > 50) {
                    throw e;
                }
            }
        }
        this.port = s.getLocalPort();
        listen(s);
    }

    int port() {
        return port;
    }

    /** A slow API server: every chunk a client sends waits this long before it is passed on (0: none). */
    void latency(java.time.Duration latency) {
        latencyMillis = latency.toMillis();
    }

    synchronized void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        for (Socket c : open) {
            c.close();
        }
        open.clear();
    }

    synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        // the old listening socket is released once its accept thread has woken up from close(): wait for it
        for (int attempt = 0; ; attempt++) {
            try {
                listen(bind(port));
                return;
            } catch (java.net.BindException e) {
                if (attempt >= 100) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void listen(ServerSocket s) {
        server = s;
        Thread.ofVirtual().name("tcp-proxy-accept").start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream, true);
                    pump(upstream, client, false);
                } catch (IOException e) {
                    // closed by down(), or the target refused: the client sees its connection end
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread.ofVirtual().name("tcp-proxy-pump").start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long delay = latencyMillis;
                    if (request && delay > 0) {
                        try {
                            Thread.sleep(delay);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
