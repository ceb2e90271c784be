package org.tsr.gateway.settings;

import org.springframework.stereotype.Component;
import org.tsr.store.run.Run;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes the settings stored as a run's configuration JSON. */
@Component
public class RunSettingsJson {

    private final JsonMapper json = JsonMapper.builder().build();

    public RunSettings read(Run run) {
        return json.readValue(run.getConfiguration(), RunSettings.class);
    }

    public String write(RunSettings settings) {
        return json.writeValueAsString(settings);
    }
}
