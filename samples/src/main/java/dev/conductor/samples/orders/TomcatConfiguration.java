package dev.conductor.samples.orders;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The order service's Tomcat: see {@link PausedConnectorRefusal}. */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> pausedConnectorRefusal() {
        return (factory) -> factory.addEngineValves(new PausedConnectorRefusal());
    }
}
