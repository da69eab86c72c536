package dev.conductor.core;

/** The seed's application served until SIGTERM: run in its own JVM by {@link ServeProcessTest}. */
final class ServeMain {

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
        public void setup() {
            print("setup WebApi");
        }

        @Override
        public void shutdown() {
            print("shutdown WebApi");
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) {
        Conductor conductor = new Conductor();
        conductor.add(WebApi.class);
        conductor.serve();
    }
}
