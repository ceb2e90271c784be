package org.tsr.gateway;

import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.testkit.ServiceSmokeTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewaySmokeTest extends ServiceSmokeTest {}
