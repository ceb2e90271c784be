package org.tsr.contract.training;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrainingSettingsTest {

    static final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
    static final JsonMapper json = JsonMapper.builder().build();

    @Test
    void settingsLeftOutAreValidAndWriteAsAnEmptyObject() {
        assertThat(validator.validate(TrainingSettings.defaults())).isEmpty();
        assertThat(json.writeValueAsString(TrainingSettings.defaults())).isEqualTo("{}");
    }

    @Test
    void aValueOutOfBoundsIsNamedByItsField() {
        assertThat(fields("{\"beta\": 0}")).containsExactly("beta");
        assertThat(fields("{\"schedule\": \"wobbly\"}")).containsExactly("schedule");
        assertThat(fields("{\"schedule\": \"cosine\"}")).isEmpty();
        assertThat(fields("{\"lora\": {\"rank\": 0}}")).containsExactly("lora.rank");
        // zero turns clipping and checkpoints off, as the engine reads them
        assertThat(fields("{\"maxGradNorm\": 0, \"checkpointEvery\": 0}")).isEmpty();
    }

    @Test
    void tooManyRowsPerStepIsNamedByTheBatchSize() {
        assertThat(fields("{\"batchSize\": 4096, \"gradientAccumulationSteps\": 2}"))
                .containsExactly("batchSize");
    }

    @Test
    void anUnknownLoraModuleIsNamedByItsListAndQuoted() {
        Set<ConstraintViolation<TrainingSettings>> violations =
                validator.validate(read("{\"lora\": {\"targetModules\": [\"q_proj\", \"qkv_proj\"]}}"));
        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(TrainingSettings.fieldOf(violation.getPropertyPath())).isEqualTo("lora.targetModules");
            assertThat(violation.getMessage()).contains("'qkv_proj'", "gate_proj");
        });
    }

    @Test
    void chatIsSetOnlyWhereTheSettingsAreSilent() {
        assertThat(TrainingSettings.defaults().withChatUnlessSet(false).chatFormat())
                .isFalse();
        assertThat(read("{\"chat\": true}").withChatUnlessSet(false).chatFormat())
                .isTrue();
        assertThat(json.writeValueAsString(read("{\"epochs\": 2}").withChatUnlessSet(true)))
                .isEqualTo("{\"epochs\":2,\"chat\":true}");
    }

    private static List<String> fields(String settings) {
        return validator.validate(read(settings)).stream()
                .map(violation -> TrainingSettings.fieldOf(violation.getPropertyPath()))
                .toList();
    }

    private static TrainingSettings read(String settings) {
        return json.readValue(settings, TrainingSettings.class);
    }
}
