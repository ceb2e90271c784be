package org.tsr.gateway.generations;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.checkpoint.CheckpointUri;
import org.tsr.edge.RemoteHosts;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.LineageNode;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.lineage.ModelLineage;

/** Model generations and their lineage. */
@RestController
@RequestMapping("/api/v1")
class GenerationsController {

    private final ModelGenerationRepository generations;
    private final ModelLineage lineage;
    private final RemoteHosts remoteHosts;

    GenerationsController(
            ModelGenerationRepository generations, ModelLineage lineage, RemoteInferenceHosts remoteInference) {
        this.generations = generations;
        this.lineage = lineage;
        this.remoteHosts = RemoteHosts.of(remoteInference.allowedHosts());
    }

    record GenerationView(
            long id,
            String name,
            String kind,
            String status,
            Long parentId,
            Long runId,
            Long iterationId,
            String checkpointUri,
            String checkpointFormat) {

        static GenerationView of(ModelGeneration g) {
            return new GenerationView(
                    g.getId(),
                    g.getName(),
                    g.getKind().name(),
                    g.getStatus().name(),
                    g.getParentId(),
                    g.getRunId(),
                    g.getIterationId(),
                    g.getCheckpointUri(),
                    g.getCheckpointFormat() == null
                            ? null
                            : g.getCheckpointFormat().name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A model that exists outside the platform: a Hugging Face folder ({@code hf_safetensors}, a file URI or path) or
     * a model on an OpenAI-compatible server ({@code remote_openai}, {@code http://host:port/v1#model-name}).
     */
    record ImportRequest(
            @NotBlank String name,
            @NotNull GenerationKind kind,
            @NotBlank String checkpointUri,
            @NotNull CheckpointFormat checkpointFormat) {}

    /** Registers an existing model as a READY generation, the starting point of runs and SFT bootstraps. */
    @PostMapping("/generations")
    @ResponseStatus(HttpStatus.CREATED)
    GenerationView importGeneration(@Valid @RequestBody ImportRequest request) {
        if (request.kind() != GenerationKind.BASE && request.kind() != GenerationKind.SFT) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "kind",
                    "an imported generation is BASE or SFT; POLICY and FUTURE generations are trained by runs");
        }
        if (request.checkpointFormat() == CheckpointFormat.BUILTIN_ORACLE) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "checkpointFormat",
                    "the built-in oracle is registered by the platform; name it as a run's judge with"
                            + " \"judge\": {\"role\": \"ORACLE\"}");
        }
        String uri = request.checkpointUri();
        if (request.checkpointFormat() == CheckpointFormat.HF_SAFETENSORS) {
            Path folder = CheckpointUri.folder(uri);
            if (!Files.isRegularFile(folder.resolve("config.json"))) {
                throw new RunProblem(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "checkpointUri",
                        "no Hugging Face checkpoint at " + folder + ": config.json is missing");
            }
            uri = folder.toAbsolutePath().toUri().toString();
        }
        if (request.checkpointFormat() == CheckpointFormat.REMOTE_OPENAI) {
            checkRemote(uri);
        }
        return GenerationView.of(generations.save(
                ModelGeneration.imported(request.name(), request.kind(), uri, request.checkpointFormat())));
    }

    @GetMapping("/generations")
    List<GenerationView> list() {
        return generations.findAll().stream().map(GenerationView::of).toList();
    }

    @GetMapping("/generations/{id}")
    GenerationView get(@PathVariable long id) {
        return generations.findById(id).map(GenerationView::of).orElseThrow(() -> unknown(id));
    }

    /** The generation's ancestors down to it, then everything trained from it, as one tree from its root. */
    @GetMapping("/generations/{id}/lineage")
    LineageNode lineage(@PathVariable long id) {
        return lineage.treeThrough(id).orElseThrow(() -> unknown(id));
    }

    /** Every generation a run produced, under the ancestors they share. */
    @GetMapping("/runs/{runId}/lineage")
    List<LineageNode> runLineage(@PathVariable long runId) {
        return lineage.treeOf(runId);
    }

    /** A server URL the generator and judge may call: http(s), a host on the allow-list, the served model named. */
    private void checkRemote(String uri) {
        URI server;
        try {
            server = CheckpointUri.remote(uri).baseUrl();
        } catch (IllegalArgumentException e) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "checkpointUri",
                    e.getMessage() + " (a remote model is http(s)://host:port/v1#served-model-name)");
        }
        String refusal = remoteHosts.refusal(server);
        if (refusal != null) {
            throw new RunProblem(HttpStatus.BAD_REQUEST, "checkpointUri", refusal);
        }
    }

    private static RunProblem unknown(long id) {
        return new RunProblem(HttpStatus.NOT_FOUND, "id", "model generation " + id + " does not exist");
    }
}
