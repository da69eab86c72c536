package dev.conductor.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.params.ParameterInfo;

/**
 * Whether a parameter is an argument of a {@code @ParameterizedTest} or {@code @ParameterizedClass} invocation:
 * JUnit resolves those itself, and the extension must not claim them too. junit-jupiter-params is optional: without
 * it, nothing is parameterized.
 */
final class SuppliedArguments {

    private static final boolean PARAMS_PRESENT = present();

    private SuppliedArguments() {
    }

    static boolean supplies(ParameterContext parameter, ExtensionContext context) {
        return PARAMS_PRESENT && Params.supplies(parameter, context);
    }

    private static boolean present() {
        try {
            Class.forName("org.junit.jupiter.params.ParameterInfo", false, SuppliedArguments.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** Loaded only when junit-jupiter-params is there. */
    private static final class Params {

        static boolean supplies(ParameterContext parameter, ExtensionContext context) {
            ParameterInfo info = ParameterInfo.get(context);
            int index = parameter.getIndex();
            return info != null && index < info.getArguments().size() && info.getDeclarations().get(index)
                    .filter(declaration -> parameter.getParameter().equals(declaration.getAnnotatedElement()))
                    .isPresent();
        }
    }
}
