package dev.conductor.benchmarks.drill;

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
 * A TCP proxy on 127.0.0.1 between one replica and its coordination backend, which the drill can cut: while cut,
 * it forwards nothing in either direction and leaves the connections open, as a network partition does (no reset,
 * no FIN: the replica finds out only by its own timeouts). New connections are accepted and left silent.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;

    private final InetSocketAddress target;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile boolean cut;

    TcpProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "drill-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding; the connections stay open and silent. */
    void cut() {
        cut = true;
    }

    /** Drops the connections that were cut (the replica reconnects) and forwards again. */
    void restore() {
        for (Socket socket : sockets) {
            close(socket);
        }
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                sockets.add(client);
                if (cut) {
                    continue; // accepted, and never answered while cut
                }
                Socket server = new Socket();
                sockets.add(server);
                try {
                    server.connect(target, 2000);
                    server.setTcpNoDelay(true);
                }
                catch (IOException ex) {
                    close(client);
                    close(server);
                    continue;
                }
                pump(client, server);
                pump(server, client);
            }
            catch (IOException ex) {
                // closed, or one connection failed: go on while open
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (cut) {
                        continue; // dropped: a partition loses the bytes
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // one side closed
            }
            finally {
                close(from);
                close(to);
            }
        }, "drill-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        }
        catch (IOException ignored) {
            // closing
        }
        for (Socket socket : sockets) {
            close(socket);
        }
    }
}
