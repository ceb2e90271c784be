package org.tsr.generator;

import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.testkit.ServiceSmokeTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratorServiceSmokeTest extends ServiceSmokeTest {}
