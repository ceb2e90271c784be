package org.tsr.trainer;

import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.testkit.ServiceSmokeTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainerServiceSmokeTest extends ServiceSmokeTest {}
