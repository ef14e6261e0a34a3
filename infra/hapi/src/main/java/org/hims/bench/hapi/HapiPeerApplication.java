package org.hims.bench.hapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;

/**
 * The benchmark's HAPI FHIR peer: a stock JPA server (R4) on PostgreSQL, nothing
 * added. Boot's own JPA setup is off because HAPI brings its entity manager;
 * Boot's Flyway runner is off because HAPI's tables come from Hibernate here
 * (Flyway is only on the classpath as a HAPI dependency).
 */
@SpringBootApplication(exclude = {HibernateJpaAutoConfiguration.class, FlywayAutoConfiguration.class})
public class HapiPeerApplication {
	public static void main(String[] args) {
		SpringApplication.run(HapiPeerApplication.class, args);
	}
}
