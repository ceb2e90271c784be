package org.tsr.trainer.web;

class TrainingJobNotFoundException extends RuntimeException {

    TrainingJobNotFoundException(long id) {
        super("training job " + id + " does not exist");
    }
}
