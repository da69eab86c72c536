package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** A proxied component is set up through its proxy; an {@code @Async} setup is refused. */
@ExtendWith(OutputCaptureExtension.class)
class ProxiedComponentTests {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    static class Database implements Component {

        @Override
        public void setup() {
            CALLS.add("database setup");
        }

        @Override
        public void shutdown() {
            CALLS.add("database shutdown");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class AdvisedApplication {

        @Bean
        @ConductorComponent
        Database database() {
            return new Database();
        }

        /** Advice around every call, as {@code @Transactional} or an aspect would add it. */
        @Bean
        static MethodInterceptor recordingAdvice() {
            return invocation -> {
                CALLS.add("advice before " + invocation.getMethod().getName());
                return invocation.proceed();
            };
        }

        @Bean
        static BeanNameAutoProxyCreator proxyCreator() {
            BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
            creator.setBeanNames("database");
            creator.setInterceptorNames("recordingAdvice");
            return creator;
        }
    }

    @Test
    void setupAndShutdownAreCalledThroughTheProxy() {
        CALLS.clear();
        run(AdvisedApplication.class).close();
        assertThat(CALLS).containsExactly("advice before setup", "database setup", "advice before shutdown",
                "database shutdown");
    }

    @Async
    static class AsyncWorkers implements Component {

        @Override
        public void setup() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @ImportAutoConfiguration(ConductorAutoConfiguration.class)
    static class AsyncApplication {

        @Bean
        @ConductorComponent
        AsyncWorkers workers() {
            return new AsyncWorkers();
        }
    }

    @Test
    void anAsyncSetupFailsTheStartupNamingTheComponent(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(AsyncApplication.class));
        assertThat(output).contains("""
                Description:

                Component 'workers' has an @Async setup method (AsyncWorkers.setup()): it would return before the\
                 work is done, and Conductor would treat the component as active too early.

                Action:

                Remove @Async from the class and from setup(): Conductor already runs setups and shutdowns\
                 concurrently. Start asynchronous work inside setup() and wait there until it is ready.
                """);
    }

    private static ConfigurableApplicationContext run(Class<?> application) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).run();
    }
}
