package dev.conductor.spring.test;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Clears the {@link ConductorFaults} of the test's context after each test method, so that faults a test did not
 * use up do not leak into the next test sharing the cached context.
 */
class ConductorFaultsTestExecutionListener extends AbstractTestExecutionListener {

    /** Late, so that after a test method it runs before the listeners that may close the context. */
    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            testContext.getApplicationContext().getBeanProvider(ConductorFaults.class)
                    .ifAvailable(ConductorFaults::clear);
        }
    }
}
