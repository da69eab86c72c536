package dev.conductor.samples.orders;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The order service, which prints the JVM's shutdown hooks once it is ready: one line
 * {@code [hooks] <class> '<thread name>'} per hook registered with {@link Runtime#addShutdownHook}. Then, holding a
 * connection to the database as a worker in the middle of an order would, it runs every hook that is neither
 * Spring Boot's nor the JDK's own ({@code [hooks] ran <class>}), as if it had won the race against Spring's when
 * the JVM began to exit, and prints whether the connection still works ({@code [hooks] connection held across the
 * hooks: open}, or {@code closed: <why>}), then {@code [hooks] end}. Conductor, not a library, decides when the
 * service's parts close.
 *
 * <p>The JVM keeps the hooks in {@code java.lang.ApplicationShutdownHooks}, which only reflection reaches: run it
 * with {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
 */
public final class ShutdownHooksOrderService {

    private ShutdownHooksOrderService() {
    }

    public static void main(String[] args) throws ReflectiveOperationException, SQLException {
        ConfigurableApplicationContext context = SpringApplication.run(OrderServiceApplication.class, args);
        List<Thread> hooks = hooks();
        for (Thread hook : hooks) {
            System.out.println("[hooks] " + hook.getClass().getName() + " '" + hook.getName() + "'");
        }
        Path directory = context.getBean(OrdersProperties.class).dataDir().resolve("db").toAbsolutePath().normalize();
        try (Connection held = DriverManager.getConnection(Database.url(directory), "sa", "")) {
            for (Thread hook : hooks) {
                if (!hook.getName().equals("SpringApplicationShutdownHook")
                        && !hook.getClass().getName().startsWith("java.")) {
                    hook.run();
                    System.out.println("[hooks] ran " + hook.getClass().getName());
                }
            }
            try (Statement statement = held.createStatement();
                    ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
                count.next();
                System.out.println("[hooks] connection held across the hooks: open");
            }
            catch (SQLException ex) {
                System.out.println("[hooks] connection held across the hooks: closed: " + ex.getMessage());
            }
        }
        System.out.println("[hooks] end");
        System.out.flush();
    }

    static List<Thread> hooks() throws ReflectiveOperationException {
        Class<?> registry = Class.forName("java.lang.ApplicationShutdownHooks");
        Field field = registry.getDeclaredField("hooks");
        field.setAccessible(true);
        synchronized (registry) {
            Map<?, ?> hooks = (Map<?, ?>) field.get(null);
            List<Thread> threads = new ArrayList<>();
            // null once the JVM has begun to exit
            if (hooks != null) {
                hooks.keySet().forEach(hook -> threads.add((Thread) hook));
            }
            return threads;
        }
    }
}
