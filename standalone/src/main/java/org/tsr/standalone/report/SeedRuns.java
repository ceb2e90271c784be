package org.tsr.standalone.report;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What one seed of the experiment produced.
 *
 * @param reports each run's report by its label, as {@code GET /api/v1/runs/{id}/report} returned it
 * @param judges each run's judge by its label: self, frozen, oracle or noisy:<p>
 * @param failures one line for each run that did not succeed
 */
public record SeedRuns(
        long seed,
        long m0,
        double sftSeconds,
        Map<String, JsonNode> reports,
        Map<String, String> judges,
        List<String> failures) {}
