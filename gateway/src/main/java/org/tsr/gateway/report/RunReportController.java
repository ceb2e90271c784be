package org.tsr.gateway.report;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A run's report: per-iteration evaluation, judge agreement, pair diagnostics, DPO metrics and phase times. */
@RestController
class RunReportController {

    private final RunReports reports;

    RunReportController(RunReports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/v1/runs/{id}/report")
    RunReport report(@PathVariable long id) {
        return reports.report(id);
    }
}
