package org.tsr.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dependencies between the modules' packages. The stage services and the gateway are separate deployables that
 * meet only in the store's work queue and over HTTP, so none of them may reach into another's code. Every module is
 * on this module's test classpath, so the rules see them all; test code is left out.
 */
@AnalyzeClasses(packages = "org.tsr", importOptions = ArchitectureTest.ProductionCode.class)
class ArchitectureTest {

    static final List<String> STAGE_SERVICES =
            List.of("org.tsr.generator..", "org.tsr.judge..", "org.tsr.pairing..", "org.tsr.trainer..");

    static final String GATEWAY = "org.tsr.gateway..";

    /** What the services and the gateway may use of the project: the libraries they are built on. */
    static final List<String> SHARED_LIBRARIES = List.of(
            "org.tsr.store..",
            "org.tsr.inference..",
            "org.tsr.engine..",
            "org.tsr.edge..",
            "org.tsr.tasks..",
            "org.tsr.contract..");

    @ArchTest
    static final ArchRule stageServicesDependOnNoOtherServiceNorOnTheGateway = forEach(
                    STAGE_SERVICES,
                    service -> noClasses()
                            .that()
                            .resideInAPackage(service)
                            .should()
                            .dependOnClassesThat()
                            .resideInAnyPackage(Stream.concat(
                                            STAGE_SERVICES.stream().filter(other -> !other.equals(service)),
                                            Stream.of(GATEWAY))
                                    .toArray(String[]::new)))
            .as("no stage service (generator, judge, pairing, trainer) should depend on another one or on the gateway")
            .because("a stage service takes its work from the queue in the store and hands its results back there");

    @ArchTest
    static final ArchRule theGatewayReachesTheServicesOverHttpOnly = noClasses()
            .that()
            .resideInAPackage(GATEWAY)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(STAGE_SERVICES.toArray(String[]::new))
            .because("the gateway routes to the services' REST APIs and hands them work through the queue");

    @ArchTest
    static final ArchRule servicesAndTheGatewayUseNothingOfTheProjectButTheSharedLibraries = forEach(
                    Stream.concat(STAGE_SERVICES.stream(), Stream.of(GATEWAY)).toList(),
                    component -> noClasses()
                            .that()
                            .resideInAPackage(component)
                            .should()
                            .dependOnClassesThat(resideInAPackage("org.tsr..")
                                    .and(resideOutsideOfPackages(
                                            Stream.concat(Stream.of(component), SHARED_LIBRARIES.stream())
                                                    .toArray(String[]::new)))
                                    .as("are in the project, outside '%s' and the shared libraries", component)))
            .as("the stage services and the gateway should depend on nothing of the project but their own packages and"
                    + " the shared libraries " + SHARED_LIBRARIES)
            .because("they are separate deployables built on those libraries");

    /**
     * The feature packages of a module ({@code org.tsr.gateway.runs}, {@code org.tsr.store.pair}, ...) form no
     * cycle. The cycles there were when the rule came in are frozen in {@code src/test/resources/archunit_store}, each
     * known by the packages it passes through: a new cycle fails the rule, a frozen one may change the dependencies
     * that make it up, and one that is gone is dropped from the store.
     */
    @ArchTest
    static final ArchRule featurePackagesOfEachModuleFormNoCycle = FreezingArchRule.freeze(
                    slices().matching("org.tsr.(*).(*)..")
                            .namingSlices("org.tsr.$1.$2")
                            .should()
                            .beFreeOfCycles())
            .associateViolationLinesVia(new SameCycle());

    @ArchTest
    static final ArchRule theEngineDependsOnNothingElseOfTheProject = noClasses()
            .that()
            .resideInAPackage("org.tsr.engine..")
            .should()
            .dependOnClassesThat(resideInAPackage("org.tsr..").and(resideOutsideOfPackage("org.tsr.engine..")))
            .because("lm-engine is a plain library that inference and the trainer build on");

    /** One rule per package, all checked, each reported with its own violations. */
    private static CompositeArchRule forEach(List<String> packages, Function<String, ArchRule> rule) {
        CompositeArchRule all = CompositeArchRule.of(rule.apply(packages.get(0)));
        for (String pkg : packages.subList(1, packages.size())) {
            all = all.and(rule.apply(pkg));
        }
        return all;
    }

    /**
     * Two cycle violations are the same cycle when they pass through the same packages, whatever dependencies make up
     * each step and whichever package the report starts at.
     */
    static final class SameCycle implements ViolationLineMatcher {

        private static final Pattern DETAILS = Pattern.compile("\\n\\s*1\\. Dependencies of ");

        @Override
        public boolean matches(String lineFromFirstViolation, String lineFromSecondViolation) {
            return packages(lineFromFirstViolation).equals(packages(lineFromSecondViolation));
        }

        /** The packages of "Cycle detected: a -> b -> c -> a", rotated to start at the least: [a, b, c]. */
        static List<String> packages(String violation) {
            String path = DETAILS.split(violation, 2)[0].replaceFirst("^Cycle detected:", "");
            List<String> packages = new ArrayList<>();
            for (String step : path.split("->")) {
                packages.add(step.strip());
            }
            if (packages.size() > 1 && packages.get(0).equals(packages.get(packages.size() - 1))) {
                packages.remove(packages.size() - 1);
            }
            Collections.rotate(packages, -packages.indexOf(Collections.min(packages)));
            return packages;
        }
    }

    /** The classes of src/main: neither test classes nor test jars. */
    static final class ProductionCode implements ImportOption {

        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        private final ImportOption notTestClasses = new DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return notTestClasses.includes(location) && !location.matches(TEST_JAR);
        }
    }
}
