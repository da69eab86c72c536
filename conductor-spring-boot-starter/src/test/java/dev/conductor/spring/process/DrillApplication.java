package dev.conductor.spring.process;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The application the process drills run in a child JVM: {@code database} and {@code broker}, then {@code api}
 * (needs both), then {@code gate} (needs {@code api}). The first argument says how it misbehaves:
 *
 * <ul>
 * <li>{@code block-setup}: the gate's setup blocks until it is interrupted (a slow migration, a broker that does
 * not answer);
 * <li>{@code exit-in-setup}: the gate's setup calls {@code System.exit(3)};
 * <li>{@code exit-in-shutdown}: the api's shutdown calls {@code System.exit(4)}, and main closes the context
 * once it has started;
 * <li>{@code exit-in-shutdown-on-sigterm}: the same shutdown, reached through SIGTERM;
 * <li>{@code slow-bean}: the gate's setup blocks as in {@code block-setup}, and a plain bean created after the
 * components blocks its constructor, so the context is still creating beans (the components started early).
 * </ul>
 *
 * Every step is printed as {@code [drill] ...}; the setup timeout is long (60 s), so an exit that waited for it
 * shows.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ DrillApplication.Database.class, DrillApplication.Broker.class, DrillApplication.Api.class,
        DrillApplication.Gate.class, DrillApplication.SlowBean.class })
public class DrillApplication {

    static volatile String mode = "";

    public static void main(String[] args) {
        mode = args[0];
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DrillApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.keep-alive=true", "conductor.setup-timeout=60s",
                        "conductor.shutdown-timeout=60s")
                .run(args);
        print("started");
        if (mode.equals("exit-in-shutdown")) {
            context.close();
            print("context closed"); // never reached: System.exit() does not return
        }
    }

    static void print(String step) {
        System.out.println("[drill] " + step);
        System.out.flush();
    }

    /** Prints its setup and shutdown. */
    abstract static class Step implements Component {

        private final String name;

        Step(String name) {
            this.name = name;
        }

        @Override
        public void setup() throws Exception {
            print(name + " set up");
        }

        @Override
        public void shutdown() throws Exception {
            print(name + " shut down");
        }
    }

    @ConductorComponent("database")
    static class Database extends Step {

        Database() {
            super("database");
        }
    }

    @ConductorComponent("broker")
    static class Broker extends Step {

        Broker() {
            super("broker");
        }
    }

    @ConductorComponent("api")
    static class Api extends Step {

        Api(Database database, Broker broker) {
            super("api");
        }

        @Override
        public void shutdown() throws Exception {
            if (mode.startsWith("exit-in-shutdown")) {
                print("api calls System.exit(4) from its shutdown");
                System.exit(4);
            }
            super.shutdown();
        }
    }

    @ConductorComponent("gate")
    static class Gate extends Step {

        Gate(Api api) {
            super("gate");
        }

        @Override
        public void setup() throws Exception {
            if (mode.equals("block-setup") || mode.equals("slow-bean")) {
                print("gate blocks its setup");
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    print("gate setup interrupted");
                    throw ex;
                }
            }
            else if (mode.equals("exit-in-setup")) {
                print("gate calls System.exit(3) from its setup");
                System.exit(3);
            }
            super.setup();
        }
    }

    /** A plain bean, created after the components: in {@code slow-bean} mode its constructor blocks. */
    static class SlowBean {

        SlowBean() throws InterruptedException {
            if (mode.equals("slow-bean")) {
                print("slow bean blocks its constructor");
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    print("slow bean interrupted");
                    throw ex;
                }
            }
        }
    }
}
