package org.tsr.testkit;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at the {@link TestDatabase}, so a test needs no annotation to get a real
 * PostgreSQL. Registered in {@code META-INF/spring.factories}.
 */
public class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new TestDatabaseContextCustomizer();
    }

    private static final class TestDatabaseContextCustomizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabase.Connection db = TestDatabase.connection();
            Map<String, Object> properties = Map.of(
                    "spring.datasource.url", db.url(),
                    "spring.datasource.username", db.user(),
                    "spring.datasource.password", db.password(),
                    // the database goes at JVM exit, beside the contexts' own shutdown: a component still asking for
                    // a connection then gives up in seconds, not after the pool's default 30 s wait
                    "spring.datasource.hikari.connection-timeout", "5000");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("testDatabase", properties));
        }

        // All instances are equal so that Spring's test context cache is shared across test classes.
        @Override
        public boolean equals(Object other) {
            return other instanceof TestDatabaseContextCustomizer;
        }

        @Override
        public int hashCode() {
            return TestDatabaseContextCustomizer.class.hashCode();
        }
    }
}
