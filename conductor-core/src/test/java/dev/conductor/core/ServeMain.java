package dev.conductor.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The seed's application served until SIGTERM: run in its own JVM by {@link ServeProcessTest}. The first
 * argument picks how {@code WebApi} behaves: {@code normal}, {@code block-in-setup} (until interrupted),
 * {@code exit-in-setup} or {@code exit-in-shutdown} ({@code System.exit(3)}). Timeouts are an hour, so that only
 * a prompt cancellation lets the process exit in time.
 */
final class ServeMain {

    static String mode = "normal";

    static class Database implements Component {

        @Override
        public void setup() {
            print("setup Database");
        }

        @Override
        public void shutdown() {
            print("shutdown Database");
        }
    }

    static class WebApi implements Component {

        WebApi(Database database) {
        }

        @Override
        public void setup() throws InterruptedException {
            print("setup WebApi");
            if (mode.equals("block-in-setup")) {
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    print("setup WebApi interrupted");
                    throw ex;
                }
            }
            if (mode.equals("exit-in-setup")) {
                System.exit(3);
            }
        }

        @Override
        public void shutdown() {
            print("shutdown WebApi");
            if (mode.equals("exit-in-shutdown")) {
                System.exit(3);
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) {
        mode = args.length > 0 ? args[0] : "normal";
        Conductor conductor = Conductor.builder().setupTimeout(Duration.ofHours(1))
                .shutdownTimeout(Duration.ofHours(1)).build();
        conductor.add(WebApi.class);
        conductor.serve();
    }
}
