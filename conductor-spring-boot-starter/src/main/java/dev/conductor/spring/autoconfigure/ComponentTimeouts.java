package dev.conductor.spring.autoconfigure;

import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Reads the timeouts of {@code @ConductorComponent}: placeholders and expressions resolved as {@code @Value}
 * resolves them, then Spring Boot's duration format.
 */
final class ComponentTimeouts {

    private final Function<String, String> placeholders;

    private final Function<String, @Nullable Object> expressions;

    private ComponentTimeouts(Function<String, String> placeholders, Function<String, @Nullable Object> expressions) {
        this.placeholders = placeholders;
        this.expressions = expressions;
    }

    /** Resolves as {@code @Value} does once the context is refreshed: placeholders, then {@code #{...}}. */
    static ComponentTimeouts of(ConfigurableListableBeanFactory beanFactory) {
        BeanExpressionResolver resolver = beanFactory.getBeanExpressionResolver();
        BeanExpressionContext context = new BeanExpressionContext(beanFactory, null);
        return new ComponentTimeouts(value -> {
            String resolved = beanFactory.resolveEmbeddedValue(value);
            return resolved != null ? resolved : value;
        }, value -> resolver != null ? resolver.evaluate(value, context) : value);
    }

    /**
     * Resolves placeholders before any bean exists: with the placeholder configurer when there is one, otherwise
     * with the environment. Expressions are left for {@link #of(ConfigurableListableBeanFactory)}: they may refer
     * to beans.
     */
    static ComponentTimeouts early(ConfigurableListableBeanFactory beanFactory, Environment environment) {
        return new ComponentTimeouts(value -> {
            String resolved = beanFactory.hasEmbeddedValueResolver() ? beanFactory.resolveEmbeddedValue(value)
                    : environment.resolveRequiredPlaceholders(value);
            return resolved != null ? resolved : value;
        }, value -> value.contains("#{") ? null : value);
    }

    /**
     * The timeout {@code value} of the component {@code bean}, or {@code null} for the default (or, early, for a
     * value that only an expression can tell).
     *
     * @throws InvalidComponentException when a placeholder cannot be resolved or the value is not a duration
     */
    @Nullable Duration resolve(String bean, String attribute, String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        Object resolved;
        try {
            resolved = expressions.apply(placeholders.apply(value));
        }
        catch (RuntimeException ex) {
            throw new InvalidComponentException(bean, "has @ConductorComponent(" + attribute + " = \"" + value
                    + "\"), which could not be resolved: " + ex.getMessage(),
                    "Define the property it refers to, or give the placeholder a default, for example"
                            + " \"${app.db.setup-timeout:45s}\".");
        }
        if (resolved == null) {
            return null;
        }
        String text = resolved instanceof Duration ? null : resolved.toString().trim();
        if (text != null && !StringUtils.hasText(text)) {
            return null;
        }
        Duration timeout;
        try {
            timeout = text == null ? (Duration) resolved : DurationStyle.detectAndParse(text);
        }
        catch (IllegalArgumentException ex) {
            timeout = null;
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            String shown = text == null ? resolved.toString() : text;
            throw new InvalidComponentException(bean, "has @ConductorComponent(" + attribute + " = \"" + value
                    + "\")" + (shown.equals(value) ? "" : ", resolved to \"" + shown + "\"")
                    + ", which is not a positive duration",
                    "Use Spring Boot's duration format, for example \"500ms\", \"30s\" or \"2m\".");
        }
        return timeout;
    }
}
