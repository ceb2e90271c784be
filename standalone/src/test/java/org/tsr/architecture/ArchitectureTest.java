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

    /** The feature packages of a module ({@code org.tsr.gateway.runs}, {@code org.tsr.store.pair}, ...) form no cycle. */
    @ArchTest
    static final ArchRule featurePackagesOfEachModuleFormNoCycle = slices().matching("org.tsr.(*).(*)..")
            .namingSlices("org.tsr.$1.$2")
            .should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule theEngineDependsOnNothingOfTheProjectButTheContract = noClasses()
            .that()
            .resideInAPackage("org.tsr.engine..")
            .should()
            .dependOnClassesThat(resideInAPackage("org.tsr..")
                    .and(resideOutsideOfPackages("org.tsr.engine..", "org.tsr.contract.."))
                    .as("are in the project, outside the engine and the contract"))
            .because("lm-engine is a plain library that inference and the trainer build on; it samples with the"
                    + " contract's SamplingSettings");

    @ArchTest
    static final ArchRule theContractDependsOnNothingElseOfTheProject = noClasses()
            .that()
            .resideInAPackage("org.tsr.contract..")
            .should()
            .dependOnClassesThat(resideInAPackage("org.tsr..").and(resideOutsideOfPackage("org.tsr.contract..")))
            .because("the contract is the vocabulary every other module shares, so it can build on none of them");

    /** One rule per package, all checked, each reported with its own violations. */
    private static CompositeArchRule forEach(List<String> packages, Function<String, ArchRule> rule) {
        CompositeArchRule all = CompositeArchRule.of(rule.apply(packages.get(0)));
        for (String pkg : packages.subList(1, packages.size())) {
            all = all.and(rule.apply(pkg));
        }
        return all;
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
