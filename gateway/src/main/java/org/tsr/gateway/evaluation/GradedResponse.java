package org.tsr.gateway.evaluation;

/** One response as the oracle graded it. */
record GradedResponse(long promptId, String family, int score, boolean exact, int length) {}
