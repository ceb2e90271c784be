package org.tsr.trainer.job;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Collectors;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.training.InvalidTrainingOptionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/** Reads a job's hyperparameters and dataset JSON, refusing unknown names so a typo is not silently a default. */
public final class JobJson {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Validator VALIDATOR =
            Validation.buildDefaultValidatorFactory().getValidator();

    private JobJson() {}

    public static TrainingSettings settings(String json, TrainingKind kind) {
        TrainingSettings settings = read(json, TrainingSettings.class, "hyperparameters");
        VALIDATOR.validate(settings).stream()
                .min(Comparator.comparing(
                        violation -> violation.getPropertyPath().toString()))
                .ifPresent(violation -> {
                    String at = "hyperparameters." + TrainingSettings.fieldOf(violation.getPropertyPath());
                    throw InvalidTrainingJobException.invalid(at, at + " " + violation.getMessage());
                });
        try {
            EngineTrainingOptions.validate(settings, kind);
        } catch (InvalidTrainingOptionException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters." + e.field(), e.getMessage(), e);
        }
        return settings;
    }

    /** A job's trainer settings (executor, nodes, GPUs, image), checked with the bounds a run's are. */
    public static TrainerSettings trainer(String json) {
        TrainerSettings trainer = read(json, TrainerSettings.class, "trainer");
        VALIDATOR.validate(trainer).stream()
                .min(Comparator.comparing(
                        violation -> violation.getPropertyPath().toString()))
                .ifPresent(violation -> {
                    String at = "trainer." + violation.getPropertyPath();
                    throw InvalidTrainingJobException.invalid(at, at + " " + violation.getMessage());
                });
        requireFits(trainer);
        return trainer;
    }

    /** @throws InvalidTrainingJobException naming the trainer setting that does not apply to its executor */
    public static void requireFits(TrainerSettings trainer) {
        trainer.misplaced().ifPresent(misplaced -> {
            String at = "trainer." + misplaced.field();
            throw InvalidTrainingJobException.invalid(at, at + ": " + misplaced.message());
        });
    }

    public static DatasetSpec dataset(String json, TrainingKind kind) {
        DatasetSpec spec = read(json, DatasetSpec.class, "dataset");
        String type =
                spec.type() != null ? spec.type() : kind == TrainingKind.DPO ? DatasetSpec.PAIRS : DatasetSpec.PROMPTS;
        if (kind == TrainingKind.DPO && !type.equals(DatasetSpec.PAIRS)) {
            throw InvalidTrainingJobException.invalid(
                    "dataset.type", "a DPO job trains on " + DatasetSpec.PAIRS + ", not " + type);
        }
        if (kind == TrainingKind.SFT && !type.equals(DatasetSpec.PROMPTS)) {
            throw InvalidTrainingJobException.invalid(
                    "dataset.type", "an SFT job trains on " + DatasetSpec.PROMPTS + ", not " + type);
        }
        if (type.equals(DatasetSpec.PAIRS) && (spec.iterationId() == null || spec.dataset() == null)) {
            throw InvalidTrainingJobException.invalid(
                    "dataset", "preference pairs are named by iterationId and dataset (SR, D1 or D2)");
        }
        if (type.equals(DatasetSpec.PROMPTS) && spec.promptSetId() == null) {
            throw InvalidTrainingJobException.invalid("dataset.promptSetId", "SFT data is named by a promptSetId");
        }
        return new DatasetSpec(type, spec.iterationId(), spec.dataset(), spec.promptSetId(), spec.splits());
    }

    public static String write(Object value) {
        return STRICT.writeValueAsString(value);
    }

    private static <T> T read(String json, Class<T> type, String field) {
        try {
            return STRICT.readValue(json == null ? "{}" : json, type);
        } catch (UnrecognizedPropertyException e) {
            // the path names nested settings too: hyperparameters.lora.rnk
            String path = e.getPath().stream()
                    .map(JacksonException.Reference::getPropertyName)
                    .filter(Objects::nonNull)
                    .collect(Collectors.joining("."));
            String name = path.isEmpty() ? e.getPropertyName() : path;
            throw InvalidTrainingJobException.invalid(
                    field + "." + name, field + " has no setting named '" + name + "'", e);
        } catch (JacksonException e) {
            throw InvalidTrainingJobException.invalid(field, field + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
