package org.tsr.store.run;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Writes one section of an iteration's diagnostics (a key of its jsonb document) without touching the others, so
 * stages that finish concurrently never overwrite each other's figures.
 */
@Service
public class IterationDiagnostics {

    private final JdbcClient jdbc;

    IterationDiagnostics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Sets {@code diagnostics[section][key]} to the given JSON value. */
    public void record(long iterationId, String section, String key, String json) {
        int updated = jdbc.sql("""
                        update iteration
                        set diagnostics = diagnostics || jsonb_build_object(cast(:section as text),
                                coalesce(diagnostics -> cast(:section as text), '{}'::jsonb)
                                || jsonb_build_object(cast(:key as text), cast(:json as jsonb))),
                            updated_at = now()
                        where id = :id
                        """)
                .param("section", section)
                .param("key", key)
                .param("json", json)
                .param("id", iterationId)
                .update();
        if (updated != 1) {
            throw new IllegalArgumentException("no iteration with id " + iterationId);
        }
    }
}
