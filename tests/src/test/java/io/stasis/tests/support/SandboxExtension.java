package io.stasis.tests.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link Sandbox} (and the {@link StasisHome}) as a parameter, and
 * closes it after the test; when the test failed, prints what every process printed first.
 *
 * <pre>{@code
 * @ExtendWith(SandboxExtension.class)
 * class CounterTest {
 *     @Test
 *     void continuesAfterRestart(Sandbox sandbox) { ... }
 * }
 * }</pre>
 */
public final class SandboxExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Sandbox.class || type == StasisHome.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == StasisHome.class) {
            return StasisHome.fromSystemProperties();
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Sandbox.class, type -> Sandbox.create(),
                Sandbox.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Sandbox sandbox = context.getStore(NAMESPACE).remove(Sandbox.class, Sandbox.class);
        if (sandbox == null) {
            return;
        }
        if (context.getExecutionException().isPresent()) {
            System.err.println(context.getDisplayName() + " failed; " + sandbox.diagnostics());
        }
        sandbox.close();
    }
}
