package org.tsr.gateway.runs;

import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The public API for runs. */
@RestController
@RequestMapping("/api/v1/runs")
class RunsController {

    private final RunCatalog catalog;

    RunsController(RunCatalog catalog) {
        this.catalog = catalog;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RunView create(@Valid @RequestBody CreateRunRequest request) {
        return catalog.create(request);
    }

    @GetMapping
    List<RunView> list() {
        return catalog.list();
    }

    @GetMapping("/{id}")
    RunView get(@PathVariable long id) {
        return catalog.view(id);
    }

    @PostMapping("/{id}/iterations")
    RunView nextIteration(@PathVariable long id) {
        return catalog.nextIteration(id);
    }

    @PostMapping("/{id}/cancel")
    RunView cancel(@PathVariable long id) {
        return catalog.cancel(id);
    }

    @PostMapping("/{id}/resume")
    RunView resume(@PathVariable long id) {
        return catalog.resume(id);
    }
}
