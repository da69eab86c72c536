package dev.conductor.benchmarks.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One replica JVM of the drill as the harness holds it: its process and the lines it printed, each stamped with
 * the harness's {@link System#nanoTime()} when read. Whether it leads is what its last {@code ACTIVE} or
 * {@code STOPPED} line says.
 */
final class ReplicaProcess {

    /** A line the replica printed, and when the harness read it. */
    record Line(long nanos, String text) {
    }

    private final String name;

    private final Process process;

    private final List<Line> lines = new ArrayList<>();

    private volatile boolean paused;

    ReplicaProcess(String name, List<String> command, Path log) throws IOException {
        this.name = name;
        this.process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(log.toFile()).start();
        Thread reader = new Thread(this::read, "drill-read-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String text;
            while ((text = in.readLine()) != null) {
                long now = System.nanoTime();
                synchronized (lines) {
                    lines.add(new Line(now, text));
                    lines.notifyAll();
                }
            }
        }
        catch (IOException ex) {
            // the process is gone
        }
        finally {
            synchronized (lines) {
                lines.add(new Line(System.nanoTime(), "GONE"));
                lines.notifyAll();
            }
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** How many lines were read so far: a mark to wait from. */
    int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /**
     * Waits for the first line from {@code mark} on that {@code matches}.
     *
     * @return the line, or {@code null} after the timeout
     */
    Line await(int mark, Predicate<String> matches, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines) {
            int next = mark;
            while (true) {
                for (; next < lines.size(); next++) {
                    if (matches.test(lines.get(next).text())) {
                        return lines.get(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** The lines from {@code mark} on that match. */
    List<Line> since(int mark, Predicate<String> matches) {
        synchronized (lines) {
            return lines.subList(Math.min(mark, lines.size()), lines.size()).stream()
                    .filter(line -> matches.test(line.text())).toList();
        }
    }

    /** Whether the last ACTIVE or STOPPED line was ACTIVE, and the process runs (not paused, not gone). */
    boolean leads() {
        if (paused || !process.isAlive()) {
            return false;
        }
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                String text = lines.get(i).text();
                if (text.startsWith("ACTIVE ")) {
                    return true;
                }
                if (text.startsWith("STOPPED ") || text.equals("GONE")) {
                    return false;
                }
            }
        }
        return false;
    }

    boolean alive() {
        return process.isAlive();
    }

    // Through the handle: Process.destroy() also closes our end of the pipes, and the replica's last lines are lost

    void kill() {
        process.toHandle().destroyForcibly(); // SIGKILL
    }

    void terminate() {
        process.toHandle().destroy(); // SIGTERM
    }

    void pause() throws Exception {
        signal("STOP");
        paused = true;
    }

    void resume() throws Exception {
        paused = false;
        signal("CONT");
    }

    private void signal(String signal) throws Exception {
        // The shell's own kill: a minimal image may have no kill program (procps)
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid()).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    boolean waitFor(long timeoutMillis) throws InterruptedException {
        return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Kills the process whatever its state (a paused one too) and waits a little for it. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines, for a failure's message. */
    String tail(int count) {
        synchronized (lines) {
            StringBuilder text = new StringBuilder();
            for (Line line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
                text.append("    ").append(name).append(": ").append(line.text()).append('\n');
            }
            return text.toString();
        }
    }
}
