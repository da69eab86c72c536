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
 * Reads the timeouts and retry settings of {@code @ConductorComponent}: placeholders and expressions resolved as
 * {@code @Value} resolves them, then Spring Boot's duration format or a number.
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
        return duration(bean, attribute, value, false);
    }

    /**
     * A duration attribute that may be zero, such as a retry delay; {@code null} for the default.
     *
     * @throws InvalidComponentException when a placeholder cannot be resolved or the value is not a duration
     */
    @Nullable Duration resolveDelay(String bean, String attribute, String value) {
        return duration(bean, attribute, value, true);
    }

    /**
     * A number attribute, at least {@code minimum} (and whole when {@code whole}); {@code null} for the default.
     *
     * @throws InvalidComponentException when a placeholder cannot be resolved or the value is not such a number
     */
    @Nullable Double resolveNumber(String bean, String attribute, String value, double minimum, boolean whole) {
        Object resolved = resolveValue(bean, attribute, value);
        if (resolved == null) {
            return null;
        }
        String text = resolved.toString().trim();
        double number;
        try {
            number = resolved instanceof Number given ? given.doubleValue() : Double.parseDouble(text);
        }
        catch (NumberFormatException ex) {
            number = Double.NaN;
        }
        if (!(number >= minimum) || Double.isInfinite(number) || (whole && number != Math.rint(number))) {
            throw new InvalidComponentException(bean, "has " + shown(attribute, value)
                    + (text.equals(value) ? "" : ", resolved to \"" + text + "\"") + ", which is not "
                    + (whole ? "a whole number" : "a number") + " of at least " + format(minimum),
                    "Use " + (whole ? "a whole number" : "a number") + " such as \"" + format(minimum + 2) + "\".");
        }
        return number;
    }

    /** A text attribute with placeholders and expressions resolved; {@code null} for the default. */
    @Nullable String resolveText(String bean, String attribute, String value) {
        Object resolved = resolveValue(bean, attribute, value);
        return resolved != null ? resolved.toString().trim() : null;
    }

    private static String format(double number) {
        return number == Math.rint(number) ? String.valueOf((long) number) : String.valueOf(number);
    }

    /** How the attribute reads in the source: {@code @ConductorComponent(setupRetry = @SetupRetry(delay = "x"))}. */
    private static String shown(String attribute, String value) {
        int dot = attribute.indexOf('.');
        if (dot < 0) {
            return "@ConductorComponent(" + attribute + " = \"" + value + "\")";
        }
        String nested = attribute.substring(0, dot);
        return "@ConductorComponent(" + nested + " = @" + Character.toUpperCase(nested.charAt(0))
                + nested.substring(1) + "(" + attribute.substring(dot + 1) + " = \"" + value + "\"))";
    }

    /** The value with placeholders and expressions resolved; {@code null} for the default or a blank result. */
    private @Nullable Object resolveValue(String bean, String attribute, String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        Object resolved;
        try {
            resolved = expressions.apply(placeholders.apply(value));
        }
        catch (RuntimeException ex) {
            throw new InvalidComponentException(bean, "has " + shown(attribute, value) + ", which could not be"
                    + " resolved: " + ex.getMessage(),
                    "Define the property it refers to, or give the placeholder a default, for example"
                            + " \"${app.db.setup-timeout:45s}\".");
        }
        if (resolved == null || (!(resolved instanceof Duration) && !StringUtils.hasText(resolved.toString()))) {
            return null;
        }
        return resolved;
    }

    private @Nullable Duration duration(String bean, String attribute, String value, boolean zeroAllowed) {
        Object resolved = resolveValue(bean, attribute, value);
        if (resolved == null) {
            return null;
        }
        String text = resolved instanceof Duration ? null : resolved.toString().trim();
        Duration duration;
        try {
            duration = text == null ? (Duration) resolved : DurationStyle.detectAndParse(text);
        }
        catch (IllegalArgumentException ex) {
            duration = null;
        }
        if (duration == null || duration.isNegative() || (duration.isZero() && !zeroAllowed)) {
            String shown = text == null ? resolved.toString() : text;
            throw new InvalidComponentException(bean, "has " + shown(attribute, value)
                    + (shown.equals(value) ? "" : ", resolved to \"" + shown + "\"")
                    + ", which is not a " + (zeroAllowed ? "duration of zero or more" : "positive duration"),
                    "Use Spring Boot's duration format, for example \"500ms\", \"30s\" or \"2m\".");
        }
        return duration;
    }
}
