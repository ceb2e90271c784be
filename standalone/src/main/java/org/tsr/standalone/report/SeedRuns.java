package org.tsr.standalone.report;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What one seed of the experiment produced.
 *
 * @param reports each method's run report, as {@code GET /api/v1/runs/{id}/report} returned it
 * @param failures one line for each run that did not succeed
 */
public record SeedRuns(long seed, long m0, double sftSeconds, Map<String, JsonNode> reports, List<String> failures) {}
