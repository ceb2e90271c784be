package org.tsr.standalone.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes report.md, summary.json and the charts of a demo folder again from its saved run reports (seed 1 only),
 * for a folder written before the report gained a figure. Arguments: the folder, then label=judge pairs in run order,
 * for example {@code "SR, oracle judge=oracle"}.
 */
public final class RewriteReport {

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Map<String, JsonNode> reports = new LinkedHashMap<>();
        Map<String, String> judges = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        for (int i = 1; i < args.length; i++) {
            String label = args[i].substring(0, args[i].indexOf('='));
            String file = label.replace(", ", "-").replace(' ', '-').replace(':', '-') + "-seed-1.json";
            reports.put(
                    label,
                    json.readTree(Files.readString(folder.resolve("reports").resolve(file))));
            judges.put(label, args[i].substring(args[i].indexOf('=') + 1));
        }
        List<SeedRuns> seeds = new ArrayList<>();
        seeds.add(new SeedRuns(1, 0, 0, reports, judges, List.of()));
        ExperimentReport.write(folder, "rewritten from the saved run reports", seeds, Duration.ZERO);
    }
}
