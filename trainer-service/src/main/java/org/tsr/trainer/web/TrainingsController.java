package org.tsr.trainer.web;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.contract.work.TrainWork;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.trainer.job.JobJson;
import org.tsr.trainer.job.TrainableGenerations;
import org.tsr.trainer.job.TrainingData;

/**
 * Runs a training job directly: the request is checked (generations, dataset, hyperparameters), stored as a job and
 * queued as a TRAIN unit that this service's workers (or any replica's) train; {@code GET} follows it.
 */
@RestController
@RequestMapping("/trainings")
class TrainingsController {

    private final TrainingJobRepository jobs;
    private final TrainableGenerations generations;
    private final TrainingData data;
    private final WorkQueue queue;
    private final TransactionTemplate transactions;

    TrainingsController(
            TrainingJobRepository jobs,
            TrainableGenerations generations,
            TrainingData data,
            WorkQueue queue,
            TransactionTemplate transactions) {
        this.jobs = jobs;
        this.generations = generations;
        this.data = data;
        this.queue = queue;
        this.transactions = transactions;
    }

    @PostMapping
    ResponseEntity<TrainingResponse> start(@Validated @RequestBody TrainingRequest request) {
        TrainingKind kind = request.kind();
        String hyperparameters = JobJson.write(
                request.hyperparameters() == null ? TrainingSettings.defaults() : request.hyperparameters());
        JobJson.settings(hyperparameters, kind);
        generations.folder(request.baseGenerationId(), "baseGenerationId");
        long reference =
                request.referenceGenerationId() == null ? request.baseGenerationId() : request.referenceGenerationId();
        if (kind == TrainingKind.DPO) {
            generations.folder(reference, "referenceGenerationId");
        }
        TrainingRequest.Dataset given = request.dataset();
        String datasetJson = JobJson.write(
                kind == TrainingKind.DPO
                        ? new DatasetSpec(DatasetSpec.PAIRS, given.iterationId(), given.dataset(), null, null)
                        : new DatasetSpec(DatasetSpec.PROMPTS, null, null, given.promptSetId(), given.splits()));
        DatasetSpec spec = JobJson.dataset(datasetJson, kind);
        if (kind == TrainingKind.DPO) {
            data.pairs(spec);
        } else {
            data.examples(spec);
        }
        String trainer = JobJson.write(request.trainer() == null ? TrainerSettings.defaults() : request.trainer());
        JobJson.trainer(trainer);
        TrainingJob job = transactions.execute(status -> {
            TrainingJob saved = jobs.save((kind == TrainingKind.DPO
                            ? TrainingJob.dpo(request.baseGenerationId(), reference, datasetJson, hyperparameters)
                            : TrainingJob.sft(request.baseGenerationId(), datasetJson, hyperparameters))
                    .trainedOn(trainer));
            queue.enqueue(NewWorkUnit.of(WorkStage.TRAIN, null, JobJson.write(new TrainWork(saved.getId())))
                    .withKey("training-job-" + saved.getId()));
            return saved;
        });
        return ResponseEntity.accepted()
                .location(URI.create("/trainings/" + job.getId()))
                .body(TrainingResponse.of(job));
    }

    @GetMapping("/{id}")
    TrainingResponse get(@PathVariable long id) {
        return jobs.findById(id).map(TrainingResponse::of).orElseThrow(() -> new TrainingJobNotFoundException(id));
    }
}
