package org.tsr.store;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.tsr.store.workqueue.WorkQueueProperties;

/**
 * Brings the store into any Spring Boot application that has this module on its classpath: the entities, their
 * repositories, the Flyway migrations in {@code db/migration} and the store's services (work queue, lineage,
 * batch writers). Its defaults come from {@link StoreDefaults}.
 */
@AutoConfiguration(before = {HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class})
@EntityScan(basePackageClasses = StoreAutoConfiguration.class)
@EnableJpaRepositories(basePackageClasses = StoreAutoConfiguration.class)
@ComponentScan(basePackageClasses = StoreAutoConfiguration.class)
@EnableConfigurationProperties(WorkQueueProperties.class)
public class StoreAutoConfiguration {}
